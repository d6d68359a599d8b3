/**
 * A web chat on a real HTTP port on 127.0.0.1, wired to a whole engine on the lab (the engine
 * harness), for the HTTP and browser tests. The app around it is the bot's own (metrics, /healthz,
 * the 404 and error answers), so those are tested as production serves them.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { ChatEngine, Store } from '../../src/core/index.ts';
import { mayUse } from '../../src/core/index.ts';
import { listScenarios } from '../../src/exchange/lab/index.ts';
import { createWebLab } from '../../src/wiring/web-lab.ts';
import { createWebChat } from '../../adapters/web/index.ts';
import { readLocaleFiles } from '../../src/i18n/index.ts';
import type { Metrics } from '../../src/observability/metrics.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createHostCheck } from '../../src/wiring/hosts.ts';
import { createHttpApp, finishHttpApp } from '../../src/wiring/http-app.ts';
import type { Harness } from '../engine/harness.ts';
import { createHarness } from '../engine/harness.ts';

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly harness: Harness;
  readonly metrics: Metrics;
  /** What the app logged as server errors. */
  readonly errors: { message: string; fields: object }[];
  close(): Promise<void>;
}

export interface WebChatTestOptions {
  readonly token?: string;
  /** HEALTHBOT_WEB_HOSTS; loopback names by default. */
  readonly hosts?: readonly string[];
  /** HOST the bot is bound to, as far as /healthz is concerned (the server listens on 127.0.0.1). */
  readonly boundHost?: string;
  readonly statusToken?: string;
  /** A real store (embedded, PostgreSQL) instead of the in-memory one. */
  readonly store?: Store;
  /** The header's scenario picker and reset button, as the bot has them on the lab. */
  readonly lab?: boolean;
  /** Draw every button for everyone, as a chat without personas' roles would (default: the lab policy decides). */
  readonly allButtons?: boolean;
}

export async function startWebChat(scenario: string, options: WebChatTestOptions = {}): Promise<WebServer> {
  const ref: { harness?: Harness } = {};
  const engine: ChatEngine = {
    handle: (event) => ref.harness!.engine.handle(event),
    claim: (id) => ref.harness!.engine.claim(id),
    standingCards: (owns) => ref.harness!.engine.standingCards!(owns),
  };
  const locales = readLocaleFiles(join(import.meta.dirname, '../../locales'));
  const personas = [
    { id: 'alice', displayName: 'Alice (operator, approver)', directoryId: 'alice@contoso.com' },
    { id: 'bob', displayName: 'Bob (approver)', directoryId: 'bob@contoso.com' },
    { id: 'carol', displayName: 'Carol (viewer)', directoryId: 'carol@contoso.com' },
  ];
  const allowedHost = createHostCheck(options.hosts);
  const web = createWebChat({
    engine,
    personas,
    clock: { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    log: () => {},
    texts: Object.fromEntries(Object.entries(locales).map(([l, ns]) => [l, ns.web as Record<string, string>])),
    scenario,
    ...(options.allButtons
      ? {}
      : { mayUse: (viewer, audience) => mayUse(ref.harness!.deps.policy!, viewer, audience) }),
    ...(options.lab
      ? {
          lab: createWebLab({
            store: { appendAudit: (entry) => ref.harness!.store.appendAudit(entry) },
            clock: { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
            scenarios: await listScenarios(join(import.meta.dirname, '../../config/lab-scenarios')),
            reset: (s) => ref.harness!.lab.reset(s),
            current: () => ref.harness!.lab.scenario(),
          }),
        }
      : {}),
    ...(options.token ? { token: options.token } : {}),
    allowedHost,
  });
  const harness = (ref.harness = await createHarness(scenario, {
    ...(options.store ? { store: options.store } : {}),
    overrides: { surfaces: () => web.surface },
  }));
  const metrics = createMetrics();
  const errors: { message: string; fields: object }[] = [];
  const config = {
    host: options.boundHost ?? '127.0.0.1',
    ...(options.statusToken ? { statusToken: options.statusToken } : {}),
  };
  const app = createHttpApp({ config, metrics, store: harness.store, gateway: harness.gateway, allowedHost });
  app.use('/', web.router);
  finishHttpApp(app, (message, fields) => errors.push({ message, fields }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    harness,
    metrics,
    errors,
    async close() {
      await web.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
