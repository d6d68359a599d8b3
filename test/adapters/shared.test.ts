/**
 * The adapters' shared code: the body reader's limit, the pacing windows and the coalescer, which
 * waits on the injected clock (a manual one here: no real timer runs).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Coalescer, evenSpacing, readRawBody, SlidingWindows } from '../../adapters/shared/index.ts';
import { ManualClock } from '../engine/harness.ts';

describe('readRawBody', () => {
  it('returns the bytes under the limit and refuses a larger body with 413 without reading it all', async () => {
    const outcomes: string[] = [];
    const server = createServer((req, res) => {
      readRawBody(req, 16).then(
        (b) => (outcomes.push(`ok:${b.toString()}`), res.end('ok')),
        (err: { status?: number }) => (outcomes.push(`err:${err.status ?? 'stream'}`), res.writeHead(err.status ?? 400).end()),
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

describe('Coalescer', () => {
  it('sends the first card at once, keeps only the newest behind it, and the last card always arrives', async () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    let release: (() => void) | undefined;
    const c = new Coalescer<string>({
      clock,
      minIntervalMs: 1_000,
      send: async (key, value) => {
        sent.push(`${key}=${value}`);
        if (value === 'v1') await new Promise<void>((r) => (release = r));
      },
      failed: () => {},
    });
    c.offer('m1', 'v1');
    for (const v of ['v2', 'v3', 'v4']) c.offer('m1', v);
    expect(sent).toEqual(['m1=v1']);
    const flushed = c.flush();
    release!();
    await flushed;
    expect(sent).toEqual(['m1=v1', 'm1=v4']);
  });

  it('keeps going after a failed send and reports it', async () => {
    const clock = new ManualClock();
    const failed: string[] = [];
    const sent: string[] = [];
    const c = new Coalescer<string>({
      clock,
      send: async (_k, v) => {
        if (v === 'bad') throw new Error('platform said no');
        sent.push(v);
      },
      failed: (k, err) => failed.push(`${k}: ${(err as Error).message}`),
    });
    c.offer('a', 'bad');
    await c.flush();
    c.offer('a', 'good');
    await c.flush();
    expect(failed).toEqual(['a: platform said no']);
    expect(sent).toEqual(['good']);
  });

  it('spaces two sends of one message by the injected clock, not a real timer', async () => {
    const clock = new ManualClock();
    const at: number[] = [];
    const c = new Coalescer<number>({ clock, minIntervalMs: 60_000, send: async () => void at.push(clock.now().getTime()), failed: () => {} });
    c.offer('m', 1);
    await c.flush();
    c.offer('m', 2);
    await c.flush(); // a real 60 s timer would time the test out
    expect(at[1]! - at[0]!).toBe(60_000);
  });
});
