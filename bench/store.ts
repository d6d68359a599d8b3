/**
 * Approvals on each store: how many decisions per second the engine gets through and how long one
 * takes, on the in-memory store (the floor), the embedded database and PostgreSQL; then the memory
 * of the whole bot process at idle and with 1,000 pending approvals.
 *
 * A decision here is the whole path a click takes: the vote (compare-and-set), the audit records,
 * the restart through the gateway, the fresh probe and the updated cards. The lab is told that
 * restarts do not heal it, so every approval in a run finds the same broken server and runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ExchangeGateway, Operation, Store } from '../src/core/index.ts';
import { createMemoryStore, openStore, auditKey } from '../src/store/index.ts';
import { createHarness } from '../test/engine/harness.ts';
import { startBot } from '../test/cli/bot-process.ts';
import { actionId, until, webClient } from '../test/web/client.ts';
import { fmt, median, percentile } from './stats.ts';

/** Signs the audit records of this run's stores (not a secret: nothing here outlives the run). */
const AUDIT_KEY = auditKey('healthbot-test-audit-key-0123456789abcdef');

const DECISIONS = 200;
const CONCURRENCY = 10;
const PENDING_FOR_MEMORY = 1_000;

/** Restarts succeed but change nothing, so every incident stays confirmed and offers the restart. */
const restartsDoNotHeal = (lab: ExchangeGateway): ExchangeGateway => ({
  listServers: () => lab.listServers(),
  health: () => lab.health(),
  close: () => lab.close(),
  run: (async (op: Operation, options?: Parameters<ExchangeGateway['run']>[1]) =>
    op.kind === 'restart-service'
      ? { ok: true, detail: `${op.service} restarted on ${op.server}` }
      : lab.run(op as never, options)) as ExchangeGateway['run'],
});

interface Row {
  store: string;
  medianMs: number;
  p95Ms: number;
  sequentialPerSecond: number;
  concurrentPerSecond: number;
  requestMs: number;
}

async function decisionsOn(name: string, store: Store): Promise<Row> {
  const h = await createHarness('imap-backend-hang', { store, wrapGateway: restartsDoNotHeal });
  const pending: { id: string; conversation: string }[] = [];
  const requestStarted = performance.now();
  for (let i = 0; i < DECISIONS * 2; i++) {
    const conversation = `bench:${name}:${i}`;
    await h.ask('imap on server1', h.people.alice, conversation);
    const before = new Set((await store.listApprovals({ states: ['pending'] })).map((a) => a.id));
    await h.click(h.button(h.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/), h.people.alice, conversation);
    const created = (await store.listApprovals({ states: ['pending'] })).find((a) => !before.has(a.id));
    if (!created) throw new Error(`no approval was created on ${name}`);
    pending.push({ id: created.id, conversation });
  }
  const requestMs = (performance.now() - requestStarted) / pending.length;
  const decide = (p: { id: string; conversation: string }) =>
    h.engine.decide({ approvalId: p.id, actor: h.people.bob, decision: 'approve', conversation: p.conversation });

  const latencies: number[] = [];
  const sequential = pending.slice(0, DECISIONS);
  const seqStart = performance.now();
  for (const p of sequential) {
    const t = performance.now();
    const outcome = await decide(p);
    latencies.push(performance.now() - t);
    if (!outcome.ok) throw new Error(`approval refused on ${name}: ${outcome.message}`);
  }
  const seqSeconds = (performance.now() - seqStart) / 1000;

  const queue = pending.slice(DECISIONS);
  const concStart = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let p = queue.shift(); p; p = queue.shift()) await decide(p);
    }),
  );
  const concSeconds = (performance.now() - concStart) / 1000;
  const ran = h.gateway.ran.filter((op) => op.kind === 'restart-service').length;
  if (ran !== DECISIONS * 2) throw new Error(`${name}: ${ran} restarts for ${DECISIONS * 2} approvals`);
  return {
    store: name,
    medianMs: median(latencies),
    p95Ms: percentile(latencies, 95),
    sequentialPerSecond: DECISIONS / seqSeconds,
    concurrentPerSecond: DECISIONS / concSeconds,
    requestMs,
  };
}

async function withPostgres<T>(url: string, run: (store: Store) => Promise<T>): Promise<T> {
  const schema = `hb_bench_${process.pid}_${Date.now().toString(36)}`;
  const store = await openStore({ databaseUrl: url, dataDir: '', schema, auditKey: AUDIT_KEY });
  try {
    return await run(store);
  } finally {
    await store.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? Number.NaN) / 1024;
}

/** Resident memory of a real bot process (what `npm start` runs) at idle and with pending approvals. */
/** The lowest of a few readings a second apart: what stays resident, not garbage awaiting collection. */
async function settledRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 1_000));
    readings.push(rssMiB(pid));
  }
  return Math.min(...readings);
}

/**
 * Resident memory of a real bot process (what `npm start` runs) at idle and with pending
 * approvals. The first start creates the embedded database (initdb), which leaves garbage behind,
 * so the bot is started a second time on it, as it runs every day, before reading "idle".
 */
async function botMemory(label: string, env: Record<string, string>): Promise<string> {
  const data = mkdtempSync(join(tmpdir(), 'healthbot-bench-'));
  const botEnv = { HEALTHBOT_DATA_DIR: data, HEALTHBOT_LAB_SCENARIO: 'imap-backend-hang', LOG_LEVEL: 'warn', ...env };
  await (await startBot(botEnv)).stop('SIGTERM');
  const bot = await startBot(botEnv);
  try {
    const idle = await settledRss(bot.child.pid!);
    const web = webClient(bot.url);
    const started = performance.now();
    for (let i = 0; i < PENDING_FOR_MEMORY; i++) {
      const { thread } = (await (await web.say('alice', 'imap on server1')).json()) as { thread: string };
      const inThread = async (kind: RegExp) =>
        (await web.messages('alice', thread)).find((m) => kind.test(m.html ?? ''));
      const card = await until('diagnosis', () => inThread(/problem confirmed/));
      await web.click('alice', actionId(card.html!, /Restart MSExchangeIMAP4BE/), card);
      await until('approval', () => inThread(/kind-approval/));
    }
    const filledIn = (performance.now() - started) / 1000;
    const loaded = await settledRss(bot.child.pid!);
    return `${label.padEnd(22)} idle ${fmt(idle, 0)} MiB · with ${PENDING_FOR_MEMORY} pending approvals ${fmt(loaded, 0)} MiB (${loaded >= idle ? '+' : ''}${fmt(loaded - idle, 0)} MiB; filled through the web chat in ${fmt(filledIn, 0)} s)`;
  } finally {
    await bot.stop('SIGTERM');
    rmSync(data, { recursive: true, force: true });
  }
}

export async function benchStore(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const rows: Row[] = [];
  rows.push(await decisionsOn('memory', createMemoryStore()));
  const dir = mkdtempSync(join(tmpdir(), 'healthbot-bench-'));
  const embedded = await openStore({ dataDir: dir, auditKey: AUDIT_KEY });
  try {
    rows.push(await decisionsOn('embedded (SQLite)', embedded));
  } finally {
    await embedded.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (url) rows.push(await withPostgres(url, (store) => decisionsOn('PostgreSQL', store)));
  else console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');

  console.log(
    `Approval decisions, each running a restart and a fresh probe on the lab (no latency); ${DECISIONS} one after another, then ${DECISIONS} with ${CONCURRENCY} at once`,
  );
  console.log('store                  decision median   p95      per second (1 / 10 at once)   request (ask+click)');
  const floor = rows[0]!;
  for (const r of rows) {
    console.log(
      `${r.store.padEnd(22)} ${fmt(r.medianMs, 2).padStart(7)} ms ${fmt(r.p95Ms, 2).padStart(8)} ms   ${fmt(r.sequentialPerSecond, 0).padStart(6)} / ${fmt(r.concurrentPerSecond, 0).padEnd(6)} (×${fmt(r.medianMs / floor.medianMs, 1)} memory's median)   ${fmt(r.requestMs, 1)} ms`,
    );
  }

  console.log('\nMemory of the bot process (resident set)');
  console.log(await botMemory('embedded (SQLite)', {}));
  if (url) {
    const schema = `hb_bench_mem_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    try {
      console.log(
        await botMemory('PostgreSQL', {
          DATABASE_URL: `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        }),
      );
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
}
