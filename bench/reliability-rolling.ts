/**
 * A rolling restart on PostgreSQL: while one replica has executions running (held inside the
 * restart operation), the other is restarted (a new engine, a new process id, recovery at start)
 * and then sweeps while time passes; the running replica keeps renewing its leases. Then the
 * roles swap. No execution that was really running may be reported as outcome-unknown.
 */
import type { ExchangeGateway, Operation, Store } from '../src/core/index.ts';
import { openStore } from '../src/store/index.ts';
import type { Harness } from '../test/engine/harness.ts';
import pg from 'pg';
import { replicas, restartsDoNotHeal } from './reliability-trials.ts';
import { auditKey } from '../src/store/index.ts';

const BENCH_AUDIT_KEY = auditKey('healthbot-bench-audit-key-0123456789abcdef');

const IN_FLIGHT = 10;

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let held = 0;
  let heldAll!: () => void;
  const allHeld = new Promise<void>((resolve) => (heldAll = resolve));
  const wrap = (lab: ExchangeGateway): ExchangeGateway => {
    const inner = restartsDoNotHeal(lab);
    return {
      ...inner,
      run: (async (op: Operation, options?: Parameters<ExchangeGateway['run']>[1]) => {
        if (op.kind === 'restart-service' && ++held === IN_FLIGHT) heldAll();
        if (op.kind === 'restart-service') await opened;
        return inner.run(op as never, options);
      }) as ExchangeGateway['run'],
    };
  };
  return { wrap, open, allHeld };
}

async function requestMany(h: Harness, chat: Awaited<ReturnType<typeof replicas>>['chat'], prefix: string) {
  const ids: { approve: string; conversation: string; approvalId: string }[] = [];
  for (let i = 0; i < IN_FLIGHT; i++) {
    const conversation = `${prefix}:${i}`;
    await h.ask('imap on server1', h.people.alice, conversation);
    await h.click(
      chat.lastCard(conversation, 'diagnosis')!.actions.find((x) => /Restart MSExchangeIMAP4BE/.test(x.label))!.id,
      h.people.alice,
      conversation,
    );
    const card = chat.lastCard(conversation, 'approval')!;
    ids.push({
      approve: card.actions.find((x) => x.label === 'Approve')!.id,
      conversation,
      approvalId: card.context!.match(/(\S+)$/)![1]!,
    });
  }
  return ids;
}

/** Runs IN_FLIGHT executions on `runner` while `restarted` is replaced and sweeps; counts unknowns. */
async function oneRoll(url: string, schema: string, turn: number): Promise<{ live: number; markedUnknown: number }> {
  const held = gate();
  const stores: [Store, Store] = [
    await openStore({ databaseUrl: url, dataDir: '', schema, auditKey: BENCH_AUDIT_KEY }),
    await openStore({ databaseUrl: url, dataDir: '', schema, auditKey: BENCH_AUDIT_KEY }),
  ];
  const { a: runner, chat } = await replicas(stores, { wrapA: held.wrap });
  const requests = await requestMany(runner, chat, `roll:${turn}`);
  const clicks = requests.map((r) => runner.click(r.approve, runner.people.bob, r.conversation));
  await held.allHeld;
  // The other replica goes down and comes back as a new process on the same database.
  await stores[1].close();
  const fresh = await openStore({ databaseUrl: url, dataDir: '', schema, auditKey: BENCH_AUDIT_KEY });
  const { b: restarted } = await replicas([stores[0], fresh]);
  await restarted.engine.recover();
  // Three minutes pass (three leases): the runner renews on its ticks, the new replica sweeps.
  for (let step = 0; step < 9; step++) {
    runner.clock.advance(20_000);
    restarted.clock.advance(20_000);
    await runner.engine.tick();
    await restarted.engine.tick();
  }
  held.open();
  await Promise.all(clicks);
  let markedUnknown = 0;
  for (const r of requests) {
    const state = (await stores[0].getApproval(r.approvalId))?.state;
    if (state === 'outcome-unknown' || state === 'not-started') markedUnknown++;
  }
  await Promise.all([stores[0].close(), fresh.close()]);
  return { live: requests.length, markedUnknown };
}

export async function benchRollingRestart(url: string): Promise<void> {
  const schema = `hb_rel_roll_${process.pid}`;
  let live = 0;
  let markedUnknown = 0;
  try {
    for (let turn = 0; turn < 2; turn++) {
      const r = await oneRoll(url, schema, turn);
      live += r.live;
      markedUnknown += r.markedUnknown;
    }
  } finally {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
  console.log(
    `rolling restart (each replica restarted in turn while the other runs ${IN_FLIGHT} executions, 3 leases long):`,
  );
  console.log(`  live executions       ${live}`);
  console.log(`  marked unknown        ${markedUnknown}`);
}
