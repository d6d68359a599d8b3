/**
 * Outgoing calls: Teams' per-thread limits kept by waiting, order kept per conversation, card
 * updates coalesced to the newest, and retries on exactly the statuses Microsoft documents.
 * The clock is the engine harness's manual clock: waits advance it instead of sleeping.
 */
import { describe, expect, it } from 'vitest';
import { Outbox, TEAMS_BOT_LIMITS, TEAMS_THREAD_LIMITS } from '../../adapters/teams/outbox.ts';
import { failureOf, parseRetryAfter, withRetry } from '../../adapters/teams/retry.ts';
import { ManualClock } from '../engine/harness.ts';

/** An error shaped like the SDK's RestError. */
function httpError(status: number, retryAfter?: string): Error {
  return Object.assign(new Error(`HTTP ${status}`), {
    name: 'RestError',
    statusCode: status,
    response: {
      status,
      headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? retryAfter : undefined) },
    },
  });
}

const noAnswer = () => Object.assign(new Error('socket hang up'), { name: 'RestError', code: 'REQUEST_SEND_ERROR' });

describe('pacing within Teams limits', () => {
  it('never sends more than 7 in a second or 8 in two seconds to one thread, in order', async () => {
    const clock = new ManualClock();
    const outbox = new Outbox({ clock });
    const sent: { n: number; at: number }[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        outbox.send('thread-1', async () => void sent.push({ n, at: clock.now().getTime() }), false),
      ),
    );
    expect(sent.map((x) => x.n)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    const at = sent.map((x) => x.at);
    for (let i = 0; i + 7 < at.length; i++) expect(at[i + 7]! - at[i]!).toBeGreaterThanOrEqual(1000);
    for (let i = 0; i + 8 < at.length; i++) expect(at[i + 8]! - at[i]!).toBeGreaterThanOrEqual(2000);
    // ... and no slower than needed: 30 messages at 8 per 2 s take a little under 8 s.
    expect(at.at(-1)! - at[0]!).toBeLessThanOrEqual(8000);
  });

  it('keeps the 60-in-30-seconds window too', async () => {
    const clock = new ManualClock();
    const outbox = new Outbox({ clock, limits: TEAMS_THREAD_LIMITS });
    const at: number[] = [];
    await Promise.all(
      Array.from({ length: 130 }, () => outbox.send('t', async () => void at.push(clock.now().getTime()), false)),
    );
    for (let i = 0; i + 60 < at.length; i++) expect(at[i + 60]! - at[i]!).toBeGreaterThanOrEqual(30_000);
  });

  it('does not hold one conversation back for another', async () => {
    const clock = new ManualClock();
    const outbox = new Outbox({ clock });
    const start = clock.now().getTime();
    const at: number[] = [];
    await Promise.all(
      ['a', 'b', 'c'].flatMap((lane) =>
        Array.from({ length: 7 }, () => outbox.send(lane, async () => void at.push(clock.now().getTime()), false)),
      ),
    );
    expect(at.every((t) => t === start)).toBe(true);
  });

  it('keeps the bot-wide limit across threads: thirty incidents at once stay under 50 a second', async () => {
    const clock = new ManualClock();
    const outbox = new Outbox({ clock });
    const at: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, thread) =>
        Array.from({ length: 3 }, () =>
          outbox.send(`19:c;messageid=${thread}`, async () => void at.push(clock.now().getTime()), false),
        ),
      ).flat(),
    );
    expect(at).toHaveLength(90);
    const sorted = [...at].sort((a, b) => a - b);
    for (let i = 0; i + TEAMS_BOT_LIMITS[0]!.max < sorted.length; i++)
      expect(sorted[i + TEAMS_BOT_LIMITS[0]!.max]! - sorted[i]!).toBeGreaterThanOrEqual(1_000);
    expect(TEAMS_BOT_LIMITS[0]!.max).toBeLessThan(50);
  });

  it('a failed call does not block the ones queued behind it', async () => {
    const clock = new ManualClock();
    const outbox = new Outbox({ clock });
    const first = outbox.send('t', async () => Promise.reject(httpError(404)), false);
    const second = outbox.send('t', async () => 'ok', false);
    await expect(first).rejects.toThrow('HTTP 404');
    await expect(second).resolves.toBe('ok');
  });
});

describe('coalescing card updates', () => {
  it('sends the newest card once the lane is free; every caller resolves', async () => {
    const clock = new ManualClock();
    const outbox = new Outbox({ clock });
    let release!: () => void;
    const busy = outbox.send('t', () => new Promise<void>((r) => (release = r)), false);
    const put: string[] = [];
    const updates = Array.from({ length: 10 }, (_, i) =>
      outbox.replace('t', 'msg-1', `v${i}`, async (v) => void put.push(v)),
    );
    const other = outbox.replace('t', 'msg-2', 'w0', async (v) => void put.push(v));
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([busy, ...updates, other]);
    expect(put).toEqual(['v9', 'w0']);
  });

  it('an update that arrives while the previous one is in flight is sent after it', async () => {
    const clock = new ManualClock();
    const outbox = new Outbox({ clock });
    const put: string[] = [];
    let release!: () => void;
    const first = outbox.replace(
      't',
      'm',
      'a',
      (v) =>
        new Promise<void>((r) => {
          put.push(v);
          release = r;
        }),
    );
    await new Promise((r) => setImmediate(r));
    const second = outbox.replace('t', 'm', 'b', async (v) => void put.push(v));
    const third = outbox.replace('t', 'm', 'c', async (v) => void put.push(v));
    release();
    await Promise.all([first, second, third]);
    expect(put).toEqual(['a', 'c']);
  });

  it('a failed update rejects the callers whose card it carried', async () => {
    const clock = new ManualClock();
    const outbox = new Outbox({ clock });
    const a = outbox.replace('t', 'm', 'a', async () => Promise.reject(httpError(404)));
    const b = outbox.replace('t', 'm', 'b', async () => Promise.reject(httpError(404)));
    await expect(a).rejects.toThrow('HTTP 404');
    await expect(b).rejects.toThrow('HTTP 404');
  });
});

describe('retrying', () => {
  const run = async (failures: Error[], idempotent = false, attempts?: number) => {
    const clock = new ManualClock();
    const start = clock.now().getTime();
    let calls = 0;
    const waits: number[] = [];
    const result = await withRetry(
      async () => {
        const f = failures[calls++];
        if (f) throw f;
        return 'done';
      },
      {
        clock,
        idempotent,
        random: () => 0.5,
        onRetry: (i) => waits.push(i.delayMs),
        ...(attempts ? { attempts } : {}),
      },
    ).catch((err: Error) => err);
    return { result, calls, waits, waited: clock.now().getTime() - start };
  };

  it('retries 429 after at least Retry-After, and the documented 412, 502, 503 and 504 with growing waits', async () => {
    const throttled = await run([httpError(429, '3')]);
    expect(throttled).toMatchObject({ result: 'done', calls: 2 });
    expect(throttled.waited).toBeGreaterThanOrEqual(3000);
    for (const status of [412, 502, 503, 504])
      expect((await run([httpError(status)])).result, String(status)).toBe('done');
    const many = await run([httpError(502), httpError(502), httpError(502), httpError(502)]);
    expect(many).toMatchObject({ result: 'done', calls: 5 });
    expect(many.waits).toEqual([750, 1500, 3000, 6000]);
  });

  it('gives up after the last attempt with the last error', async () => {
    const out = await run(Array.from({ length: 9 }, () => httpError(429)));
    expect(out.calls).toBe(5);
    expect((out.result as Error).message).toBe('HTTP 429');
  });

  it('does not retry answers that will not change (400, 401, 403, 404) nor a wait of minutes', async () => {
    for (const status of [400, 401, 403, 404, 500])
      expect((await run([httpError(status)])).calls, String(status)).toBe(1);
    const later = await run([httpError(429, '600')]);
    expect(later.calls).toBe(1);
    expect(later.waited).toBe(0);
  });

  it('repeats a call that got no answer only when repeating it is harmless', async () => {
    expect((await run([noAnswer()], true)).calls).toBe(2);
    expect((await run([noAnswer()], false)).calls).toBe(1);
  });

  it("reads status and Retry-After from the SDK's errors", () => {
    expect(failureOf(httpError(429, '7'))).toEqual({ status: 429, retryAfterMs: 7000, noAnswer: false });
    expect(failureOf(noAnswer())).toEqual({ noAnswer: true });
    expect(failureOf('nonsense')).toEqual({ noAnswer: false });
    expect(parseRetryAfter('1.5')).toBe(1500);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', Date.parse('Wed, 25 Nov 2026 10:00:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
