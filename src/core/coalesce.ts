/**
 * Update coalescing, the one place it happens: the engine's progress cards and every adapter's
 * card updates go through this. Per key (a message), at most one send in flight, and only the
 * newest value waiting behind it. A storm of progress cards therefore costs a few platform calls,
 * and the last card always arrives. Waits go through the injected clock, so tests with a manual
 * clock never wait on real timers. It lives in core because both sides need it: core may not
 * import the adapters' folder, and adapters may import core's index.
 */
import type { Clock } from './ports/clock.ts';

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

interface Slot<T> {
  value: T | undefined;
  hasValue: boolean;
  /** Callers of `deliver` whose value (or a newer one that replaced it) is still to be sent. */
  waiters: Waiter[];
  running: Promise<void> | undefined;
  lastSentAt: number;
}

export interface CoalescerOptions<T> {
  readonly clock: Clock;
  /** Sends one value. A failure goes to the `deliver` callers it concerns, or else to `failed`; later values are still sent. */
  readonly send: (key: string, value: T) => Promise<void>;
  readonly failed: (key: string, err: unknown) => void;
  /** Per key: at least this long between two sends (0: no spacing). */
  readonly minIntervalMs?: number;
  /** Across keys: how long the next send must wait (a shared rate budget); books the slot. */
  readonly nextSlot?: () => number;
  /**
   * Runs a send in the key's turn (a platform's per-conversation lane, say). The newest value is
   * taken only when the turn comes, so a value that waited for the lane is never sent stale.
   * `run` may be called again (a retry); it then sends the newest value.
   */
  readonly turn?: (key: string, run: () => Promise<void>) => Promise<void>;
  /** Keys kept while idle before the oldest are forgotten (default 256). */
  readonly keep?: number;
}

export class Coalescer<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly idlers = new Set<() => void>();

  constructor(private readonly options: CoalescerOptions<T>) {}

  /** Records `value` as the newest for `key`; it is sent when the key's turn comes. */
  offer(key: string, value: T): void {
    this.put(key, value);
  }

  /**
   * Like `offer`, and resolves once `value`, or a newer value that replaced it, has been sent;
   * rejects with that send's error.
   */
  deliver(key: string, value: T): Promise<void> {
    return new Promise((resolve, reject) => this.put(key, value, { resolve, reject }));
  }

  /** Marks `key` as just sent by another path (a fresh post), so the spacing counts from now. */
  sentNow(key: string): void {
    this.forgetIdle();
    this.slots.set(key, { value: undefined, hasValue: false, waiters: [], running: undefined, lastSentAt: this.now() });
  }

  /** Resolves when no key has a value waiting or a send in flight. */
  flush(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idlers.add(resolve));
  }

  /** How many keys the coalescer keeps state for (bounded; tests). */
  get tracked(): number {
    return this.slots.size;
  }

  private put(key: string, value: T, waiter?: Waiter): void {
    let slot = this.slots.get(key);
    if (!slot) {
      this.forgetIdle();
      slot = { value: undefined, hasValue: false, waiters: [], running: undefined, lastSentAt: 0 };
      this.slots.set(key, slot);
    }
    slot.value = value;
    slot.hasValue = true;
    if (waiter) slot.waiters.push(waiter);
    if (!slot.running) slot.running = this.run(key, slot);
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  private async run(key: string, slot: Slot<T>): Promise<void> {
    while (slot.hasValue) {
      const spacing = slot.lastSentAt + (this.options.minIntervalMs ?? 0) - this.now();
      const wait = Math.max(spacing, this.options.nextSlot?.() ?? 0);
      if (wait > 0) await this.options.clock.sleep(wait);
      let value: T | undefined;
      const carried: Waiter[] = [];
      let called = false;
      const sendNewest = async () => {
        called = true;
        if (slot.hasValue) {
          value = slot.value;
          slot.value = undefined;
          slot.hasValue = false;
          carried.push(...slot.waiters.splice(0));
        }
        await this.options.send(key, value as T);
      };
      let outcome: { ok: true } | { ok: false; err: unknown } = { ok: true };
      try {
        await (this.options.turn ? this.options.turn(key, sendNewest) : sendNewest());
      } catch (err) {
        outcome = { ok: false, err };
      }
      // A turn that ended without running the send (its lane failed first) still settles the value it was for.
      if (!called && slot.hasValue) {
        slot.value = undefined;
        slot.hasValue = false;
        carried.push(...slot.waiters.splice(0));
      }
      if (outcome.ok) for (const w of carried) w.resolve();
      else if (carried.length > 0) for (const w of carried) w.reject(outcome.err);
      else this.options.failed(key, outcome.err);
      slot.lastSentAt = this.now();
    }
    slot.running = undefined;
    if (!this.isIdle()) return;
    const waiting = [...this.idlers];
    this.idlers.clear();
    for (const done of waiting) done();
  }

  private isIdle(): boolean {
    for (const s of this.slots.values()) if (s.running || s.hasValue) return false;
    return true;
  }

  private forgetIdle(): void {
    const keep = this.options.keep ?? 256;
    if (this.slots.size < keep) return;
    const minInterval = this.options.minIntervalMs ?? 0;
    for (const [key, s] of this.slots)
      if (!s.running && !s.hasValue && this.now() - s.lastSentAt >= minInterval) this.slots.delete(key);
  }
}
