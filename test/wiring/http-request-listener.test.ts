/**
 * The bot's HTTP server hands an adapter's own POST paths (Slack's /slack/events) to its router
 * ahead of express, counts them like every request, and leaves everything else to the app.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatAdapter } from '../../src/core/index.ts';
import type { Metrics } from '../../src/observability/metrics.ts';
import { httpRequestListener } from '../../src/wiring/http-app.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(ownPaths: readonly string[] | undefined) {
  const log: string[] = [];
  const counted: Record<string, string>[] = [];
  let onCount!: () => void;
  const firstCount = new Promise<void>((resolve) => (onCount = resolve));
  const router = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/own') return next();
    log.push('router');
    res.writeHead(202).end();
  };
  const adapter = { router, ...(ownPaths ? { ownPaths } : {}) } as unknown as ChatAdapter;
  const app = express();
  app.use((_req, _res, next) => {
    log.push('app');
    next();
  });
  app.use(router);
  app.use((_req, res) => void res.status(404).end());
  const metrics = {
    httpRequests: {
      inc: (labels: Record<string, string>) => {
        counted.push(labels);
        onCount();
      },
    },
  } as unknown as Pick<Metrics, 'httpRequests'>;
  const listener = httpRequestListener(app, [adapter], metrics);
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, path: string) => (await fetch(`${base}${path}`, { method })).status;
  return { log, counted, firstCount, call, listener, app };
}

describe('httpRequestListener', () => {
  it('hands a POST to an own path to the adapter without going through the app, and counts it', async () => {
    const s = await serve(['/own']);
    expect(await s.call('POST', '/own?x=1')).toBe(202);
    expect(s.log).toEqual(['router']);
    await s.firstCount;
    expect(s.counted).toEqual([{ route: 'other', status: '202' }]);
  });

  it('leaves other methods and paths to the app', async () => {
    const s = await serve(['/own']);
    expect(await s.call('GET', '/own')).toBe(404);
    expect(await s.call('POST', '/elsewhere')).toBe(404);
    expect(s.log).toEqual(['app', 'app']);
    expect(s.counted).toEqual([]);
  });

  it('is the app itself when no adapter claims a path', async () => {
    const s = await serve(undefined);
    expect(s.listener).toBe(s.app);
    expect(await s.call('POST', '/own')).toBe(202);
    expect(s.log).toEqual(['app', 'router']);
  });
});
