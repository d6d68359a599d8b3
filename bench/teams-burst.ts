/**
 * Teams: a burst of 200 channel questions sent from another process (so the sender's CPU is not
 * the bot's), each starting a diagnosis on the lab; the time to each HTTP answer is the
 * acknowledgement Teams waits for. The Bot Connector is the stand-in from bench/teams.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { systemClock } from '../src/core/index.ts';
import { openStore, auditKey } from '../src/store/index.ts';
import { withTurnsWhenEmbedded } from '../src/wiring/turn-taking-store.ts';
import { httpRequestListener } from '../src/wiring/http-app.ts';
import { warmHttpPath } from '../src/wiring/warm-http.ts';
import { createTeamsAdapter } from '../adapters/teams/index.ts';
import { benchEngine, benchLab, ROOT } from './engine.ts';
import { sendFromAnotherProcess } from './slack.ts';
import { PEOPLE, standInConnector } from './teams.ts';

const AUDIT_KEY = auditKey('healthbot-test-audit-key-0123456789abcdef');

export async function teamsBurstFromAnotherProcess(
  count = 200,
): Promise<{ ms: number[]; ok: number; drainedMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'healthbot-bench-teams-burst-'));
  // Opened as the bot opens it (src/wiring/services.ts).
  const store = withTurnsWhenEmbedded(await openStore({ dataDir: dir, auditKey: AUDIT_KEY }));
  const lab = await benchLab('imap-backend-hang');
  const fake = standInConnector(30);
  const ref: { adapter?: ReturnType<typeof createTeamsAdapter> } = {};
  const engine = await benchEngine({ gateway: lab, store, surfaces: () => ref.adapter!.surface, labPolicy: true });
  const adapter = (ref.adapter = createTeamsAdapter({
    engine,
    store,
    clock: systemClock,
    log: () => {},
    connector: fake.connector,
    config: { appId: '', insecureDev: true },
    texts: {},
  }));
  // Served as the bot serves it (src/main.ts): the adapter's own paths ahead of the app.
  const app = express();
  app.use(adapter.router);
  const server: Server = await new Promise((resolve) => {
    const s = createServer(httpRequestListener(app, [adapter])).listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
    // As the bot does once it listens (src/main.ts), when a platform waits for its acknowledgements.
    await warmHttpPath();
    const base = JSON.parse(
      readFileSync(join(ROOT, 'test/teams/fixtures/message-channel-mention.json'), 'utf8'),
    ) as Record<string, unknown>;
    const channel = (base.conversation as { id: string }).id.split(';')[0]!;
    const requests = Array.from({ length: count }, (_, i) => ({
      body: JSON.stringify({
        ...base,
        id: `burst-${i}`,
        from: { id: PEOPLE.alice.id, name: PEOPLE.alice.name, aadObjectId: PEOPLE.alice.aadObjectId },
        conversation: { ...(base.conversation as object), id: `${channel};messageid=${1000 + i}` },
        text: "<at>Healthbot</at> what's wrong with IMAP on server1?",
      }),
      headers: { 'content-type': 'application/json' },
    }));
    const results = await sendFromAnotherProcess(url, requests, 0);
    const t0 = performance.now();
    await adapter.idle();
    return {
      ms: results.map((r) => r.ms),
      ok: results.filter((r) => r.status === 200).length,
      drainedMs: performance.now() - t0,
    };
  } finally {
    await adapter.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await lab.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
