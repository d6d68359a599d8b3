/**
 * Update coalescing, the one place it happens in the adapters: per message, at most one update in
 * flight, and only the newest card waiting behind it. A storm of progress cards therefore costs a
 * few platform calls, and the last card always arrives. Waits go through the injected clock, so
 * tests with a manual clock never wait on real timers.
 */
import type { Clock } from '../../src/core/index.ts';

interface Slot<T> {
  value: T | undefined;
  hasValue: boolean;
  running: Promise<void> | undefined;
  lastSentAt: number;
}

export interface CoalescerOptions<T> {
  readonly clock: Clock;
  /** Sends one value; a failure is reported through `failed` and does not stop later values. */
  readonly send: (key: string, value: T) => Promise<void>;
  readonly failed: (key: string, err: unknown) => void;
  /** Per key: at least this long between two sends (0: no spacing). */
  readonly minIntervalMs?: number;
  /** Across keys: how long the next send must wait (a shared rate budget); books the slot. */
  readonly nextSlot?: () => number;
  /** Keys kept while idle before the oldest are forgotten (default 256). */
  readonly keep?: number;
}

export class Coalescer<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly idlers = new Set<() => void>();

  constructor(private readonly options: CoalescerOptions<T>) {}

  /** Records `value` as the newest for `key`; it is sent when the key's turn comes. */
  offer(key: string, value: T): void {
    let slot = this.slots.get(key);
    if (!slot) {
      this.forgetIdle();
      slot = { value: undefined, hasValue: false, running: undefined, lastSentAt: 0 };
      this.slots.set(key, slot);
    }
    slot.value = value;
    slot.hasValue = true;
    if (!slot.running) slot.running = this.run(key, slot);
  }

  /** Marks `key` as just sent by another path (a fresh post), so the spacing counts from now. */
  sentNow(key: string): void {
    this.forgetIdle();
    this.slots.set(key, { value: undefined, hasValue: false, running: undefined, lastSentAt: this.now() });
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

  private now(): number {
    return this.options.clock.now().getTime();
  }

  private async run(key: string, slot: Slot<T>): Promise<void> {
    while (slot.hasValue) {
      const spacing = slot.lastSentAt + (this.options.minIntervalMs ?? 0) - this.now();
      const wait = Math.max(spacing, this.options.nextSlot?.() ?? 0);
      if (wait > 0) await this.options.clock.sleep(wait);
      const value = slot.value as T;
      slot.value = undefined;
      slot.hasValue = false;
      try {
        await this.options.send(key, value);
      } catch (err) {
        this.options.failed(key, err);
      }
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
    for (const [key, s] of this.slots) if (!s.running && !s.hasValue && this.now() - s.lastSentAt >= minInterval) this.slots.delete(key);
  }
}
