/**
 * Everything the bot sends to a Teams conversation goes through its lane here:
 *
 * - in order, one call at a time per conversation;
 * - within Teams' documented limits per bot and thread (7 messages a second, 8 in two seconds,
 *   60 in thirty seconds, 1800 an hour) and for the bot across all its conversations (50
 *   operations a second), waiting for a free slot instead of being throttled: thirty incidents
 *   at once are thirty threads, each within its own limit, and together above the bot's;
 * - retried on throttling and transient failures (retry.ts);
 * - card updates coalesced (core's one Coalescer): while an update of a message waits its turn,
 *   a newer card for the same message replaces it, so a diagnosis that reports progress ten times
 *   a second costs a few updates, and the last card always wins.
 */
import type { Clock } from '../../src/core/index.ts';
import { Coalescer } from '../../src/core/index.ts';
import { SlidingWindows, takeSlot } from '../shared/index.ts';
import { withRetry } from './retry.ts';
import type { RetryOptions } from './retry.ts';

export interface RateLimit {
  readonly windowMs: number;
  readonly max: number;
}

/** Per bot per thread, from Microsoft's "rate limiting for bots" page. */
export const TEAMS_THREAD_LIMITS: readonly RateLimit[] = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
  { windowMs: 30_000, max: 60 },
  { windowMs: 3_600_000, max: 1_800 },
];

/**
 * Per bot, across all conversations: Microsoft documents 50 operations a second. The outbox keeps
 * 40, leaving room for the calls that do not pass through it (member lookups, opening a chat).
 */
export const TEAMS_BOT_LIMITS: readonly RateLimit[] = [{ windowMs: 1_000, max: 40 }];

interface Lane {
  tail: Promise<unknown>;
  /** Send times within the longest window (the adapters' shared pacing). */
  readonly windows: SlidingWindows;
  queued: number;
}

/** One message's newest content and how to put it (the caller's closure, kept with the value). */
interface Replacement {
  readonly value: unknown;
  readonly put: (value: never) => Promise<void>;
}

export interface OutboxOptions {
  readonly clock: Clock;
  readonly limits?: readonly RateLimit[];
  /** Across all lanes (default TEAMS_BOT_LIMITS). */
  readonly botLimits?: readonly RateLimit[];
  readonly retry?: Omit<RetryOptions, 'clock' | 'idempotent'>;
}

export class Outbox {
  private readonly lanes = new Map<string, Lane>();
  private readonly limits: readonly RateLimit[];
  private readonly longest: number;
  private readonly bot: SlidingWindows;
  /** Keys are `<lane>\n<message id>`; each send runs in the lane, taking the newest card when its turn comes. */
  private readonly replacements: Coalescer<Replacement>;

  constructor(private readonly options: OutboxOptions) {
    this.limits = options.limits ?? TEAMS_THREAD_LIMITS;
    this.longest = Math.max(...this.limits.map((l) => l.windowMs));
    this.bot = new SlidingWindows(options.botLimits ?? TEAMS_BOT_LIMITS);
    this.replacements = new Coalescer<Replacement>({
      clock: options.clock,
      keep: 2_000,
      turn: (key, run) => this.send(key.slice(0, key.indexOf('\n')), run, true),
      send: async (_key, r) => r.put(r.value as never),
      // Every replacement has a caller waiting on it, who is told instead.
      failed: () => undefined,
    });
  }

  /** Runs `call` in the conversation's lane, after what was queued before it; retried per retry.ts. */
  send<T>(laneKey: string, call: () => Promise<T>, idempotent: boolean): Promise<T> {
    const lane = this.lane(laneKey);
    lane.queued++;
    const run = async () => {
      try {
        return await withRetry(
          async () => {
            await this.slot(lane);
            return call();
          },
          { ...this.options.retry, clock: this.options.clock, idempotent },
        );
      } finally {
        lane.queued--;
      }
    };
    const result = lane.tail.then(run, run);
    lane.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Replaces the content of message `messageId` with `value`. Resolves once `value`, or a newer
   * value for the same message that overtook it while queued, has been sent.
   */
  replace<C>(laneKey: string, messageId: string, value: C, put: (value: C) => Promise<void>): Promise<void> {
    return this.replacements.deliver(`${laneKey}\n${messageId}`, {
      value,
      put: put as (value: never) => Promise<void>,
    });
  }

  /** Waits until every lane is empty (for shutdown and tests). */
  async drain(): Promise<void> {
    for (;;) {
      await this.replacements.flush();
      const tails = [...this.lanes.values()].filter((l) => l.queued > 0).map((l) => l.tail);
      if (tails.length === 0) return;
      await Promise.all(tails);
    }
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      if (this.lanes.size >= 2_000) this.forgetIdleLanes();
      lane = { tail: Promise.resolve(), windows: new SlidingWindows(this.limits), queued: 0 };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Waits until one more call fits the lane's windows and the bot's, then counts it in both. */
  private slot(lane: Lane): Promise<void> {
    return takeSlot([lane.windows, this.bot], this.options.clock);
  }

  private forgetIdleLanes(): void {
    const cutoff = this.options.clock.now().getTime() - this.longest;
    for (const [key, lane] of this.lanes) {
      if (lane.queued === 0 && (lane.windows.lastAt ?? -Infinity) <= cutoff) this.lanes.delete(key);
    }
  }
}
