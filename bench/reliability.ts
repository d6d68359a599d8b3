/**
 * `npm run bench reliability`: the figures of issue 18's crash and replica trials.
 *
 * 1. Randomised concurrent-approval trials on two engines sharing PostgreSQL.
 * 2. PostgreSQL backends terminated (pg_terminate_backend) during a burst of such trials.
 * 3. A rolling restart: each replica restarted while the other has executions running.
 * 4. SIGKILL trials: the bot killed at random moments with approvals pending, approved or
 *    running, restarted on the same data each time (bench/reliability-kills.ts).
 *
 * Counts are set by RELIABILITY_TRIALS, RELIABILITY_CUTS and RELIABILITY_KILLS (defaults: 2,000,
 * 60, 10), trials in flight by RELIABILITY_CONCURRENCY (16). Needs TEST_DATABASE_URL.
 */
import pg from 'pg';
import type { Store } from '../src/core/index.ts';
import { openStore } from '../src/store/index.ts';
import { testDatabaseUrl } from '../test/support/prerequisites.ts';
import type { TrialResult } from './reliability-trials.ts';
import { judge, manyTrials, replicas, runTrial, seeded } from './reliability-trials.ts';
import { benchKills } from './reliability-kills.ts';
import { benchRollingRestart } from './reliability-rolling.ts';
import { fmt } from './stats.ts';
import { auditKey } from '../src/store/index.ts';

const BENCH_AUDIT_KEY = auditKey('healthbot-bench-audit-key-0123456789abcdef');

const count = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

const CONCURRENCY = count('RELIABILITY_CONCURRENCY', 16);

async function twoStores(url: string, schema: string): Promise<[Store, Store]> {
  const a = await openStore({ databaseUrl: url, dataDir: '', schema, auditKey: BENCH_AUDIT_KEY });
  const b = await openStore({ databaseUrl: url, dataDir: '', schema, auditKey: BENCH_AUDIT_KEY });
  return [a, b];
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
}

/** Lets every sweep settle what a failure left: time passes beyond the lease and the resume delay. */
async function settle(
  hs: readonly { clock: { advance(ms: number): void }; engine: { tick(): Promise<number> } }[],
): Promise<void> {
  for (let round = 0; round < 3; round++) {
    for (const h of hs) h.clock.advance(61_000);
    for (const h of hs) await h.engine.tick();
  }
}

async function approvalTrials(url: string, trials: number): Promise<void> {
  const schema = `hb_rel_trials_${process.pid}`;
  const stores = await twoStores(url, schema);
  try {
    const { a, b, chat } = await replicas(stores);
    const random = seeded(18);
    const started = performance.now();
    const results = await manyTrials(trials, CONCURRENCY, (n) => runTrial(n, a, b, chat, random));
    const seconds = (performance.now() - started) / 1000;
    const verdict = await judge(stores[0], results);
    const ran = results.filter((r) => r.kind === 'ran');
    const clicks = ran.reduce((sum, r) => sum + (r.kind === 'ran' ? r.clicks : 0), 0);
    console.log(`concurrent-approval trials (two engines, one PostgreSQL schema, ${CONCURRENCY} trials at a time):`);
    console.log(
      `  trials run            ${ran.length} of ${trials} (${results.length - ran.length} could not be set up) in ${fmt(seconds)} s, ${clicks} clicks`,
    );
    console.log(`  duplicate executions  ${verdict.duplicates}`);
    console.log(`  lost approvals        ${verdict.lost}`);
    console.log(`  final states          ${JSON.stringify(verdict.states)}`);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
    await dropSchema(url, schema);
  }
}

async function connectionCuts(url: string, targetCuts: number): Promise<void> {
  const schema = `hb_rel_cuts_${process.pid}`;
  const app = `hb_rel_cuts_${process.pid}`;
  const tagged = `${url}${url.includes('?') ? '&' : '?'}application_name=${app}`;
  const stores = await twoStores(tagged, schema);
  let crashes = 0;
  const onCrash = () => void crashes++;
  // A dropped connection with no listener ends the process; counted here instead of dying.
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { a, b, chat } = await replicas(stores);
    const random = seeded(74);
    let cuts = 0;
    let burst = true;
    const cutter = (async () => {
      while (burst && cuts < targetCuts) {
        const r = await admin.query<{ pid: number }>(
          'select pid from pg_stat_activity where application_name = $1 order by random() limit 1',
          [app],
        );
        if (r.rows[0]) {
          await admin.query('select pg_terminate_backend($1)', [r.rows[0].pid]);
          cuts++;
        }
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(random() * 80)));
      }
    })();
    const results: TrialResult[] = [];
    let n = 0;
    const started = performance.now();
    // Trials keep coming until the cutter has made its cuts.
    while (cuts < targetCuts)
      results.push(...(await manyTrials(16, 8, () => runTrial(100_000 + n++, a, b, chat, random))));
    burst = false;
    await cutter;
    const seconds = (performance.now() - started) / 1000;
    await settle([a, b]);
    // A vote refused with a store error, told to the person, stays pending: that is not lost.
    const verdict = await judge(stores[0], results, (c) => chat.privateNotices(c).some((t) => /database/.test(t)));
    const ran = results.filter((r) => r.kind === 'ran');
    const notices = results.flatMap((r) => chat.privateNotices(r.conversation));
    const shown = notices.filter((t) => /database/.test(t)).length;
    const exchangeBlamed = notices.filter((t) => /Exchange could not be reached for \./.test(t)).length;
    const otherErrors = notices.filter((t) => /went wrong|changed this at the same moment/.test(t)).length;
    console.log(`PostgreSQL backends terminated during a burst of clicks:`);
    console.log(
      `  connection cuts       ${cuts} in ${fmt(seconds)} s, over ${results.length} trials (${ran.length} set up; the others failed at the request with a store error)`,
    );
    console.log(`  crashes               ${crashes}`);
    console.log(
      `  store errors shown    ${shown} (to the person concerned; read as Exchange failures: ${exchangeBlamed}; other errors shown: ${otherErrors})`,
    );
    console.log(`  duplicate executions  ${verdict.duplicates}`);
    console.log(
      `  lost approvals        ${verdict.lost} (after the sweeps ran; votes refused with a store error, told, left pending: ${verdict.states.pending ?? 0})`,
    );
    console.log(`  final states          ${JSON.stringify(verdict.states)}`);
  } finally {
    await admin.end();
    await Promise.all(stores.map((s) => s.close().catch(() => {})));
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await dropSchema(url, schema);
  }
}

export async function benchReliability(): Promise<void> {
  const url = testDatabaseUrl();
  if (!url) {
    console.log('skipped: set TEST_DATABASE_URL to a PostgreSQL database');
    return;
  }
  const started = performance.now();
  // RELIABILITY_ONLY=trials,cuts,rolling,kills runs some parts only.
  const only = (process.env.RELIABILITY_ONLY ?? 'trials,cuts,rolling,kills').split(',');
  if (only.includes('trials')) await approvalTrials(url, count('RELIABILITY_TRIALS', 2_000));
  if (only.includes('cuts')) await connectionCuts(url, count('RELIABILITY_CUTS', 60));
  if (only.includes('rolling')) await benchRollingRestart(url);
  if (only.includes('kills')) await benchKills(count('RELIABILITY_KILLS', 10));
  console.log(`total ${fmt((performance.now() - started) / 1000)} s`);
}
