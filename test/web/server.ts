/**
 * A web chat on a real HTTP port on 127.0.0.1, wired to a whole engine on the lab (the engine
 * harness), for the HTTP and browser tests.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import type { ChatEngine } from '../../src/core/index.ts';
import { createWebChat } from '../../adapters/web/index.ts';
import { readLocaleFiles } from '../../src/i18n/index.ts';
import type { Harness } from '../engine/harness.ts';
import { createHarness } from '../engine/harness.ts';

export interface WebServer {
  readonly url: string;
  readonly harness: Harness;
  close(): Promise<void>;
}

export async function startWebChat(scenario: string, options: { token?: string } = {}): Promise<WebServer> {
  const ref: { harness?: Harness } = {};
  const engine: ChatEngine = { handle: (event) => ref.harness!.engine.handle(event) };
  const locales = readLocaleFiles(join(import.meta.dirname, '../../locales'));
  const personas = [
    { id: 'alice', displayName: 'Alice (operator, approver)', directoryId: 'alice@contoso.com' },
    { id: 'bob', displayName: 'Bob (approver)', directoryId: 'bob@contoso.com' },
    { id: 'carol', displayName: 'Carol (viewer)', directoryId: 'carol@contoso.com' },
  ];
  const web = createWebChat({
    engine,
    personas,
    clock: { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    log: () => {},
    texts: Object.fromEntries(Object.entries(locales).map(([l, ns]) => [l, ns.web as Record<string, string>])),
    scenario,
    ...(options.token ? { token: options.token } : {}),
  });
  const harness = (ref.harness = await createHarness(scenario, { overrides: { surfaces: () => web.surface } }));
  const app = express();
  app.use('/', web.router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    harness,
    async close() {
      await web.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
