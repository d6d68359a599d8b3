/**
 * healthbot_http_requests_total is labelled by route template from a fixed set: requests for
 * paths nobody serves, however many, all count under one `other` label and add no label values.
 */
import { request } from 'node:http';
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import { OTHER_ROUTE, ROUTE_LABELS } from '../../src/wiring/http-app.ts';
import type { WebServer } from './server.ts';
import { startWebChat } from './server.ts';

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * One request on a connection of its own: a thousand requests reusing keep-alive connections can
 * meet the server closing an idle one on a loaded machine (ECONNRESET), which is not under test.
 */
function hit(port: number, path: string, method: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function routeLabels(s: WebServer): Promise<Set<string>> {
  const metric = s.metrics.registry.getSingleMetric('healthbot_http_requests_total');
  const { values } = await metric!.get();
  return new Set(values.map((v) => String(v.labels.route)));
}

it('1,000 requests for random paths add no label values beyond the fixed set', { timeout: 60_000 }, async () => {
  server = await startWebChat('healthy');
  const s = server;
  await fetch(`${s.url}/livez`);
  await (await fetch(`${s.url}/chat/messages?persona=alice`)).arrayBuffer();

  const paths = fc.sample(
    fc.webPath({ size: 'medium' }).map((p) => (p.startsWith('/') ? p : `/${p}`)),
    { numRuns: 1_000, seed: 18 },
  );
  expect(new Set(paths).size).toBeGreaterThan(500);
  for (const path of paths) await hit(s.port, path, path.length % 2 ? 'GET' : 'POST');
  const after = await routeLabels(s);
  expect([...after].every((label) => label === OTHER_ROUTE || ROUTE_LABELS.includes(label))).toBe(true);
  expect(after.size).toBeLessThanOrEqual(ROUTE_LABELS.length + 1);
  const metric = await s.metrics.registry.getSingleMetric('healthbot_http_requests_total')!.get();
  const other = metric.values.filter((v) => v.labels.route === OTHER_ROUTE).reduce((n, v) => n + v.value, 0);
  expect(other).toBeGreaterThan(500);
  // Routes that exist keep their own label.
  expect(after).toContain('/livez');
  expect(after).toContain('/chat/messages');
});
