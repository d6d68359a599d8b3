/**
 * Slack: how fast the adapter acknowledges a burst of 200 signed events while the diagnoses they
 * start run on the lab with realistic latencies, and how many Web API calls one diagnosis costs.
 *
 * The adapter runs in HTTP mode in this process with the real engine, the embedded database and
 * the lab; Slack's Web API is the stand-in from the tests, on 127.0.0.1. The events are signed
 * before the burst and sent from another process, so the clock measures the bot, not the sender.
 * Latency is the time to the HTTP response, which Slack needs within 3 s.
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { systemClock } from '../src/core/index.ts';
import { readLocaleFiles } from '../src/i18n/index.ts';
import { openStore, auditKey } from '../src/store/index.ts';
import { withTurnsWhenEmbedded } from '../src/wiring/turn-taking-store.ts';
import { httpRequestListener } from '../src/wiring/http-app.ts';
import { warmHttpPath } from '../src/wiring/warm-http.ts';
import { createSlackAdapter } from '../adapters/slack/index.ts';
import { TOKEN, startFakeSlackApi } from '../test/slack/fake-slack-api.ts';
import { PEOPLE, SIGNING_SECRET, fixture, sign } from '../test/slack/world.ts';
import { fmt, median, percentile } from './stats.ts';
import { benchEngine, benchLab } from './engine.ts';

/** Signs the audit records of this run's stores (not a secret: nothing here outlives the run). */
const AUDIT_KEY = auditKey('healthbot-test-audit-key-0123456789abcdef');

const root = join(import.meta.dirname, '..');
const USERS = Object.keys(PEOPLE);

/** Fires the requests from a child process (bench/slack-sender.ts) and returns its measurements. */
export function sendFromAnotherProcess(
  url: string,
  requests: { body: string; headers: Record<string, string> }[],
  spreadMs: number,
): Promise<{ ms: number; status: number }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'slack-sender.ts')], {
      cwd: root,
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
    child.stdin.end(JSON.stringify({ url, requests, spreadMs }));
  });
}

/** `count` signed app_mention events, each from the next person, as Slack would deliver them. */
export function signedMentions(count: number): { body: string; headers: Record<string, string> }[] {
  const base = fixture<{ event: Record<string, unknown> }>('app_mention');
  return Array.from({ length: count }, (_, i) => {
    const ts = `1764160000.${String(i).padStart(6, '0')}`;
    const body = JSON.stringify({
      ...base,
      event_id: `EvBench${i}`,
      event: { ...base.event, user: USERS[i % USERS.length], ts, event_ts: ts },
    });
    return { body, headers: { 'content-type': 'application/json', ...sign(body) } };
  });
}

export async function runSlackBurst(
  events: number,
  updatesPerMinute: number | undefined,
  engineOff = false,
  spreadMs = 0,
) {
  const api = await startFakeSlackApi();
  const dir = mkdtempSync(join(tmpdir(), 'healthbot-bench-slack-'));
  // Opened as the bot opens it (src/wiring/services.ts).
  const store = withTurnsWhenEmbedded(await openStore({ dataDir: dir, auditKey: AUDIT_KEY }));
  const lab = await benchLab('imap-backend-hang');
  const ref: { adapter?: Awaited<ReturnType<typeof createSlackAdapter>> } = {};
  const engine = await benchEngine({ gateway: lab, store, surfaces: () => ref.adapter!.surface, labPolicy: true });
  let running = 0;
  let finished = 0;
  const adapter = (ref.adapter = await createSlackAdapter({
    engine: {
      claim: (id) => engine.claim(id),
      handle: async (e) => {
        running++;
        try {
          if (!engineOff) await engine.handle(e);
        } finally {
          running--;
          finished++;
        }
      },
    },
    store,
    clock: systemClock,
    log: () => {},
    config: { botToken: TOKEN, signingSecret: SIGNING_SECRET, apiUrl: api.url },
    roleGroups: [],
    texts: Object.fromEntries(
      Object.entries(readLocaleFiles(join(root, 'locales'))).map(([l, ns]) => [l, ns.slack as Record<string, string>]),
    ),
    // Lifted with the update budget: 200 questions in one channel would otherwise get their first
    // cards at Slack's pace of about one a second, and the run would take minutes to end.
    ...(updatesPerMinute ? { updatesPerMinute, postLimits: [{ windowMs: 1_000, max: 1_000_000 }] } : {}),
  }));
  // Served as the bot serves it (src/main.ts): the adapter's own paths ahead of the app.
  const app = express();
  app.use(adapter.router!);
  const server: Server = await new Promise((resolve) => {
    const s = createServer(httpRequestListener(app, [adapter])).listen(0, '127.0.0.1', () => resolve(s));
  });
  // As the bot does once it listens (src/main.ts), when a platform waits for its acknowledgements.
  await warmHttpPath();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

  const started = performance.now();
  const results = await sendFromAnotherProcess(url, signedMentions(events), spreadMs);
  const latencies = results.map((r) => r.ms);
  const statuses = results.map((r) => r.status);
  const burstMs = Math.max(...latencies);
  while (finished < events) await new Promise((r) => setTimeout(r, 20));
  await adapter.surface.flush();
  const allDoneMs = performance.now() - started;
  const byMethod = new Map<string, number>();
  for (const c of api.calls) if (c.method !== 'auth.test') byMethod.set(c.method, (byMethod.get(c.method) ?? 0) + 1);
  const calls = [...byMethod.values()].reduce((a, b) => a + b, 0);

  await adapter.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await api.close();
  await lab.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { latencies, statuses, burstMs, allDoneMs, calls, byMethod, running };
}

export async function benchSlack(): Promise<void> {
  const burst = await runSlackBurst(200, 6_000);
  const ok = burst.statuses.filter((s) => s === 200).length;
  console.log(
    'Slack HTTP mode: 200 signed app_mention events at once, each starting a diagnosis on the lab (realistic latency, embedded database)',
  );
  console.log(
    `  acknowledged ${ok}/200 with 200 OK; ack latency median ${fmt(median(burst.latencies))} ms, p99 ${fmt(percentile(burst.latencies, 99))} ms, max ${fmt(Math.max(...burst.latencies))} ms (goal: p99 < 100 ms; Slack's limit 3000 ms)`,
  );
  console.log(
    `  last acknowledgement after ${fmt(burst.burstMs, 0)} ms; all 200 diagnoses answered and their cards final after ${fmt(burst.allDoneMs / 1000, 1)} s`,
  );
  console.log(
    `  Web API calls per diagnosis ${fmt(burst.calls / 200, 2)} (goal ≤ 4): ${[...burst.byMethod].map(([m, n]) => `${m} ${n}`).join(', ')}`,
  );
  console.log(
    '  (chat.update budget raised to 6000/min here so the run ends; the default 45/min only delays final cards, and coalesces more)',
  );

  const bare = await runSlackBurst(200, 6_000, true);
  console.log(
    `  the same burst with the engine switched off (acknowledgement and Bolt only): median ${fmt(median(bare.latencies))} ms, p99 ${fmt(percentile(bare.latencies, 99))} ms`,
  );

  const spread = await runSlackBurst(200, 6_000, false, 1_000);
  console.log(
    `  the same 200 events spread over one second (200 a second): median ${fmt(median(spread.latencies))} ms, p99 ${fmt(percentile(spread.latencies, 99))} ms`,
  );

  const paced = await runSlackBurst(20, undefined);
  console.log(
    `Same with the default update budget (45 chat.update a minute), 20 events: ack p99 ${fmt(percentile(paced.latencies, 99))} ms; calls per diagnosis ${fmt(paced.calls / 20, 2)} (${[...paced.byMethod].map(([m, n]) => `${m} ${n}`).join(', ')}); cards final after ${fmt(paced.allDoneMs / 1000, 1)} s`,
  );
}
