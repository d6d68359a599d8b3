/**
 * Alerts: a storm of 30 alerts (5 health sets on 6 servers, as after a network blip) sent to
 * POST /api/alerts at once from another process, with Slack and Teams as rate-limited stand-ins
 * (bench/support/) and the lab at realistic latency: the cards posted, the API calls, the 429s,
 * and the webhook acknowledgement times. Then the cost of one watch cycle over 50 servers: wall
 * time and Get-ServerHealth (PowerShell) calls.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync, copyFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { ExchangeGateway, Operation } from '../src/core/index.ts';
import { systemClock } from '../src/core/index.ts';
import { createAlertIntake, createWatcher } from '../src/core/alerts/index.ts';
import { createLabGateway } from '../src/exchange/lab/index.ts';
import { auditKey, openStore } from '../src/store/index.ts';
import { createAlertsWebhook } from '../src/wiring/alerts-webhook.ts';
import { alertChannelOf } from '../src/wiring/alert-channels.ts';
import { ALERTS_KEY } from '../adapters/teams/alerts.ts';
import { onBothPlatforms } from './support/platforms.ts';
import { benchEngine, runbooks, ROOT } from './engine.ts';
import { fmt, median, percentile } from './stats.ts';

const AUDIT_KEY = auditKey('healthbot-test-audit-key-0123456789abcdef');
const TOKEN = 'bench-alert-token-0123456789';
const SLACK_CHANNEL = 'C0ALERTS';

function sendFromAnotherProcess(
  url: string,
  requests: { body: string; headers: Record<string, string> }[],
): Promise<{ ms: number; status: number }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'slack-sender.ts')], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as { ms: number; status: number }[])
        : reject(new Error(`sender exited with ${code}`)),
    );
    child.stdin.end(JSON.stringify({ url, requests }));
  });
}

/** The lab's scenarios plus one organisation of `servers` servers (the default three and more). */
export function scenariosWith(dir: string, id: string, servers: number): void {
  const source = join(ROOT, 'config/lab-scenarios');
  for (const f of readdirSync(source)) copyFileSync(join(source, f), join(dir, f));
  const extra = Array.from(
    { length: servers - 3 },
    (_, i) => `  - { name: EX${String(i + 4).padStart(2, '0')}, roles: [ClientAccess, Mailbox], dag: DAG1 }`,
  );
  writeFileSync(
    join(dir, `${id}.yaml`),
    `id: ${id}\ntitle: ${servers} servers, IMAP failing on SERVER1\nservers:\n${extra.join('\n')}\nfaults:\n  - id: imap\n    symptoms:\n      - { server: SERVER1, healthSet: IMAP, monitor: ImapCTPMonitor, probe: ImapCTPProbe, error: "LOGIN failed" }\n`,
  );
}

function counting(inner: ExchangeGateway): ExchangeGateway & { readonly ran: Operation[] } {
  const ran: Operation[] = [];
  return {
    ran,
    listServers: () => inner.listServers(),
    run: ((op: Operation, o?: Parameters<ExchangeGateway['run']>[1]) => (
      ran.push(op),
      inner.run(op as never, o)
    )) as ExchangeGateway['run'],
    health: () => inner.health(),
    close: () => inner.close(),
  };
}

/** One storm on the embedded store, or on PostgreSQL at `databaseUrl`; bench/lighter.ts reads its 429s. */
export async function storm(databaseUrl?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'healthbot-bench-alerts-'));
  const scenarios = join(dir, 'scenarios');
  rmSync(scenarios, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(scenarios);
  scenariosWith(scenarios, 'bench-storm', 6);
  const { runbooks: books } = await runbooks();
  const lab = counting(
    await createLabGateway({
      runbooks: books,
      scenario: 'bench-storm',
      scenariosDir: scenarios,
      clock: systemClock,
      latency: 'realistic',
    }),
  );
  const store = await openStore({
    dataDir: join(dir, 'data'),
    auditKey: AUDIT_KEY,
    ...(databaseUrl ? { databaseUrl, schema: `hb_bench_alerts_${process.pid}` } : {}),
  });
  const platforms = await onBothPlatforms({
    gateway: lab,
    store,
    slackSigningSecret: 'bench-signing-secret',
    slackAlertsChannel: SLACK_CHANNEL,
  });
  const { slackApi, teamsApi, engine, slack, teams } = platforms;
  await store.putValue(ALERTS_KEY, {
    conversationId: '19:alerts0000@thread.tacv2',
    conversationType: 'channel',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    setAt: new Date().toISOString(),
  });
  const intake = createAlertIntake({
    ctx: engine.context,
    channels: () => [alertChannelOf(slack), alertChannelOf(teams)].flatMap((c) => c ?? []),
    later: (ms, work) => void setTimeout(work, ms),
  });
  const app = express();
  app.use(
    createAlertsWebhook({
      config: { token: TOKEN, maxBytes: 64 * 1024 },
      intake,
      clock: systemClock,
      vocabulary: async () => ({
        servers: await lab.listServers(),
        healthSets: engine.context.catalogue.healthSets.map((h) => h.name),
      }),
      log: () => {},
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/alerts`;
  const servers = (await lab.listServers()).map((s) => s.name);
  const sets = ['IMAP', 'OWA', 'ECP', 'ActiveSync', 'Autodiscover'];
  const requests = servers.flatMap((server, i) =>
    sets.map((healthSet, j) => ({
      body: JSON.stringify({
        server,
        healthSet,
        state: 'raised',
        id: `blip-${i}-${j}`,
        text: `${healthSet} unhealthy on ${server} after a network blip`,
      }),
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    })),
  );
  // A bot that has been running: its first request (lazy imports, a cold database) is behind it.
  await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ server: 'SERVER1', healthSet: 'IMAP', state: 'cleared', id: 'warm-up' }),
  });
  await intake.idle();
  const started = performance.now();
  const acks = await sendFromAnotherProcess(url, requests);
  await intake.idle();
  await slack.idle();
  await slack.surface.flush();
  await teams.idle();
  const doneMs = performance.now() - started;
  const slackPosts = slackApi.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200);
  const result = {
    acks,
    doneMs,
    slackRootCards: slackPosts.filter((c) => c.channel === SLACK_CHANNEL && !c.threadTs).length,
    slackCalls: slackApi.calls.length,
    slackByMethod: [...new Set(slackApi.calls.map((c) => c.method))]
      .map((m) => `${m} ${slackApi.calls.filter((c) => c.method === m).length}`)
      .join(', '),
    slack429: slackApi.throttled(),
    teamsRootCards: teamsApi.calls.filter(
      (c) => c.kind === 'send' && c.status === 200 && !c.conversationId.includes(';messageid='),
    ).length,
    teamsCalls: teamsApi.calls.length,
    teamsByKind: [...new Set(teamsApi.calls.map((c) => c.kind))]
      .map((k) => `${k} ${teamsApi.calls.filter((c) => c.kind === k).length}`)
      .join(', '),
    teams429: teamsApi.throttled(),
    incidents: (await store.listIncidents(100)).length,
    exchangeCalls: lab.ran.length,
  };
  await platforms.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await lab.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

async function watchCycle(servers: number, concurrency: number) {
  const dir = mkdtempSync(join(tmpdir(), 'healthbot-bench-watch-'));
  scenariosWith(dir, 'bench-watch', servers);
  const { runbooks: books } = await runbooks();
  const lab = counting(
    await createLabGateway({
      runbooks: books,
      scenario: 'bench-watch',
      scenariosDir: dir,
      clock: systemClock,
      latency: 'realistic',
    }),
  );
  const engine = await benchEngine({ gateway: lab, surfaces: () => undefined });
  const watcher = createWatcher({ ctx: engine.context, emit: async () => undefined, settings: { concurrency } });
  const t = performance.now();
  const cycle = await watcher.cycle();
  const ms = performance.now() - t;
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms, calls: lab.ran.length, read: cycle.servers - cycle.unreadable.length };
}

export async function benchAlerts(): Promise<void> {
  // Only settings read from the environment here are the bench's own: where a PostgreSQL to compare with is.
  const postgres = process.env.TEST_DATABASE_URL;
  for (const databaseUrl of [undefined, ...(postgres ? [postgres] : [])]) await report(databaseUrl);
  for (const concurrency of [4, 8]) {
    const w = await watchCycle(50, concurrency);
    console.log(
      `Watch cycle over 50 servers, ${concurrency} at once (Get-ServerHealth 50 ms each on the lab): ${fmt(w.ms, 0)} ms wall time, ${w.calls} PowerShell calls (one Get-ServerHealth per server), ${w.read} servers read`,
    );
  }
}

async function report(databaseUrl: string | undefined): Promise<void> {
  const r = await storm(databaseUrl);
  const ms = r.acks.map((a) => a.ms);
  console.log(
    `Alert storm: 30 webhooks at once (5 health sets on 6 servers), Slack and Teams stand-ins with their documented rate limits, lab at realistic latency, ${databaseUrl ? 'PostgreSQL' : 'embedded database (SQLite)'}`,
  );
  console.log(
    `  webhook acknowledgements: ${r.acks.filter((a) => a.status === 202).length}/30 answered 202; median ${fmt(median(ms))} ms, p99 ${fmt(percentile(ms, 99))} ms, max ${fmt(Math.max(...ms))} ms (goal: p99 < 50 ms)`,
  );
  console.log(
    `  cards in the alerts channels: Slack ${r.slackRootCards}, Teams ${r.teamsRootCards} (one storm card each, not 30); incidents ${r.incidents} (the common cause, diagnosed in the storm card's thread)`,
  );
  console.log(
    `  Slack API calls ${r.slackCalls} (${r.slackByMethod}), 429s ${r.slack429}; Teams Bot Connector calls ${r.teamsCalls} (${r.teamsByKind}), 429s ${r.teams429}`,
  );
  console.log(`  Exchange (lab) operations ${r.exchangeCalls}; everything settled after ${fmt(r.doneMs / 1000, 1)} s`);
}
