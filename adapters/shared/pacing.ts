/**
 * Rate pacing for calls to a chat platform: how long the next call must wait so that a limit is
 * kept, by the injected clock. Waiting for a slot costs a little latency; being throttled costs
 * a retry after the platform's own back-off, which is longer.
 */
import type { Clock } from '../../src/core/index.ts';

/** A call at most every `60000 / perMinute` ms: returns how long the next call must wait, and books its slot. */
export function evenSpacing(perMinute: number, now: () => number): () => number {
  const spacing = 60_000 / perMinute;
  let next = 0;
  return () => {
    const at = Math.max(now(), next);
    next = at + spacing;
    return at - now();
  };
}

export interface RateWindow {
  readonly windowMs: number;
  readonly max: number;
}

/**
 * Several sliding windows at once (7 a second and 60 in thirty seconds, say). `wait(now)` says how
 * long until one more call fits every window; `book(now)` counts a call.
 */
export class SlidingWindows {
  private readonly sent: number[] = [];
  private readonly longest: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    this.longest = Math.max(...windows.map((w) => w.windowMs));
  }

  wait(now: number): number {
    while (this.sent.length > 0 && this.sent[0]! <= now - this.longest) this.sent.shift();
    let wait = 0;
    for (const { windowMs, max } of this.windows) {
      const inWindow = this.sent.filter((t) => t > now - windowMs);
      if (inWindow.length >= max) wait = Math.max(wait, inWindow[inWindow.length - max]! + windowMs - now);
    }
    return wait;
  }

  book(now: number): void {
    this.sent.push(now);
  }

  /** The last call's time, or undefined: lets an owner forget windows nobody used for a while. */
  get lastAt(): number | undefined {
    return this.sent[this.sent.length - 1];
  }
}

/**
 * Waits on `clock` until one more call fits every window of every one of `limits` (a thread's
 * and the whole bot's, say), then counts the call in each.
 */
export async function takeSlot(limits: readonly SlidingWindows[], clock: Clock): Promise<void> {
  for (;;) {
    const now = clock.now().getTime();
    const wait = Math.max(0, ...limits.map((l) => l.wait(now)));
    if (wait <= 0) {
      for (const l of limits) l.book(now);
      return;
    }
    await clock.sleep(wait);
  }
}

/**
 * The same windows kept separately per key (a Slack channel, say). Keys nobody used for longer
 * than the longest window are forgotten once there are many, so the map stays bounded.
 */
export class KeyedWindows {
  private readonly byKey = new Map<string, SlidingWindows>();
  private readonly longest: number;

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly maxKeys = 2_000,
  ) {
    this.longest = Math.max(...windows.map((w) => w.windowMs));
  }

  of(key: string, now: number): SlidingWindows {
    let w = this.byKey.get(key);
    if (!w) {
      if (this.byKey.size >= this.maxKeys) this.forgetIdle(now);
      w = new SlidingWindows(this.windows);
      this.byKey.set(key, w);
    }
    return w;
  }

  get size(): number {
    return this.byKey.size;
  }

  private forgetIdle(now: number): void {
    for (const [key, w] of this.byKey) if ((w.lastAt ?? -Infinity) <= now - this.longest) this.byKey.delete(key);
  }
}
