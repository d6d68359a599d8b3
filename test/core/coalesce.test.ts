/**
 * Core's one update coalescer (the engine's progress cards and every adapter's card updates): it
 * waits on the injected clock (a manual one here: no real timer runs).
 */
import { describe, expect, it } from 'vitest';
import { Coalescer } from '../../src/core/index.ts';
import { ManualClock } from '../engine/harness.ts';

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
    const c = new Coalescer<number>({
      clock,
      minIntervalMs: 60_000,
      send: async () => void at.push(clock.now().getTime()),
      failed: () => {},
    });
    c.offer('m', 1);
    await c.flush();
    c.offer('m', 2);
    await c.flush(); // a real 60 s timer would time the test out
    expect(at[1]! - at[0]!).toBe(60_000);
  });
});

describe('Coalescer: waiting for delivery, and sends in a lane', () => {
  it('deliver() resolves every caller whose card was sent or replaced by a newer one, and rejects those a failed send carried', async () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    let release!: () => void;
    const c = new Coalescer<string>({
      clock,
      send: async (_k, v) => {
        if (v === 'a') await new Promise<void>((r) => (release = r));
        if (v === 'bad') throw new Error('gone');
        sent.push(v);
      },
      failed: () => expect.unreachable('a delivery with a caller waiting is reported to the caller'),
    });
    const a = c.deliver('m', 'a');
    const b = c.deliver('m', 'b');
    const d = c.deliver('m', 'd');
    release();
    await Promise.all([a, b, d]);
    expect(sent).toEqual(['a', 'd']);
    await expect(c.deliver('m', 'bad')).rejects.toThrow('gone');
  });

  it("takes the newest value only when the key's turn comes", async () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    let openLane!: () => void;
    const lane = new Promise<void>((r) => (openLane = r));
    const c = new Coalescer<string>({
      clock,
      turn: async (_k, run) => lane.then(run),
      send: async (_k, v) => void sent.push(v),
      failed: () => {},
    });
    const all = ['v1', 'v2', 'v3'].map((v) => c.deliver('m', v));
    openLane();
    await Promise.all(all);
    expect(sent).toEqual(['v3']);
  });

  it('a turn that fails before sending settles its callers and the key goes on', async () => {
    const clock = new ManualClock();
    let fail = true;
    const sent: string[] = [];
    const c = new Coalescer<string>({
      clock,
      turn: async (_k, run) => {
        if (fail) throw new Error('lane broken');
        await run();
      },
      send: async (_k, v) => void sent.push(v),
      failed: () => {},
    });
    await expect(c.deliver('m', 'x')).rejects.toThrow('lane broken');
    fail = false;
    await c.deliver('m', 'y');
    expect(sent).toEqual(['y']);
    await c.flush();
  });
});
