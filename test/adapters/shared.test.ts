/**
 * The adapters' shared code: the body reader's limit and the pacing windows, which wait on the
 * injected clock (a manual one here: no real timer runs). The coalescer is core's: test/core/coalesce.test.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { evenSpacing, readRawBody, SlidingWindows } from '../../adapters/shared/index.ts';

describe('readRawBody', () => {
  it('returns the bytes under the limit and refuses a larger body with 413 without reading it all', async () => {
    const outcomes: string[] = [];
    const server = createServer((req, res) => {
      readRawBody(req, 16).then(
        (b) => (outcomes.push(`ok:${b.toString()}`), res.end('ok')),
        (err: { status?: number }) => (
          outcomes.push(`err:${err.status ?? 'stream'}`),
          res.writeHead(err.status ?? 400).end()
        ),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    expect((await fetch(url, { method: 'POST', body: 'small body' })).status).toBe(200);
    expect((await fetch(url, { method: 'POST', body: 'x'.repeat(1000) })).status).toBe(413);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    expect(outcomes).toEqual(['ok:small body', 'err:413']);
  });
});

describe('pacing', () => {
  it('spaces calls evenly and books each slot', () => {
    let now = 1_000;
    const next = evenSpacing(60, () => now); // one a second
    expect([next(), next(), next()]).toEqual([0, 1_000, 2_000]);
    now += 5_000;
    expect(next()).toBe(0);
  });

  it('waits until a call fits every sliding window', () => {
    const w = new SlidingWindows([
      { windowMs: 1_000, max: 2 },
      { windowMs: 10_000, max: 3 },
    ]);
    w.book(0);
    w.book(100);
    expect(w.wait(200)).toBe(800);
    w.book(1_000);
    expect(w.wait(2_000)).toBe(8_000);
    expect(w.wait(10_000)).toBe(0);
  });
});
