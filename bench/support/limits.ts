/**
 * Rate limits as the platforms document them, for the stand-ins: a sliding window per key, and
 * the number of seconds to put in `Retry-After` when a call is over it.
 */
export interface Window {
  readonly windowMs: number;
  readonly max: number;
}

export class SlidingLimits {
  private readonly seen = new Map<string, number[]>();
  constructor(private readonly windows: readonly Window[]) {}

  /** Records a call for `key` at `now`; answers 0 when allowed, else the seconds to wait. */
  take(key: string, now: number): number {
    const longest = Math.max(...this.windows.map((w) => w.windowMs));
    const times = (this.seen.get(key) ?? []).filter((t) => now - t < longest);
    for (const w of this.windows) {
      const inWindow = times.filter((t) => now - t < w.windowMs);
      if (inWindow.length >= w.max) {
        this.seen.set(key, times);
        return Math.max(1, Math.ceil((inWindow[0]! + w.windowMs - now) / 1000));
      }
    }
    times.push(now);
    this.seen.set(key, times);
    return 0;
  }
}
