/**
 * Retrying calls to the Bot Connector the way Microsoft documents for Teams: on 429 (throttled)
 * and on 412, 502, 503 and 504, back off exponentially with jitter, or for as long as the
 * `Retry-After` header asks. Other answers (400, 401, 403, 404, ...) are final.
 *
 * A request that never got an answer (connection reset) is retried only when repeating it is
 * harmless: reads and updates in place. Posting a message again could post it twice.
 *
 * The SDK's own retry policy is removed from the clients we use (connector.ts), so this is the
 * one place that decides, and its waits go through the injected clock so tests do not sleep.
 */
import type { Clock } from '../../src/core/index.ts';

const MAX_WAIT_MS = 60_000;

export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([412, 429, 502, 503, 504]);

export interface RetryOptions {
  readonly clock: Clock;
  /** Attempts in all, the first included. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** 0 ≤ n < 1; injected so tests are deterministic. */
  readonly random?: () => number;
  /** Safe to repeat after a request that got no answer at all. */
  readonly idempotent: boolean;
  /** Called before each wait, for logs and tests. */
  readonly onRetry?: (info: { attempt: number; status?: number; delayMs: number }) => void;
}

/** What a failed connector call told us: the HTTP status and `Retry-After`, when there was an answer. */
export function failureOf(err: unknown): { status?: number; retryAfterMs?: number; noAnswer: boolean } {
  if (!err || typeof err !== 'object') return { noAnswer: false };
  const e = err as {
    statusCode?: unknown;
    response?: { status?: unknown; headers?: { get?: (name: string) => string | undefined | null } };
    code?: unknown;
  };
  const status =
    typeof e.statusCode === 'number'
      ? e.statusCode
      : typeof e.response?.status === 'number'
        ? e.response.status
        : undefined;
  const header = typeof e.response?.headers?.get === 'function' ? e.response.headers.get('retry-after') : undefined;
  const retryAfterMs = header ? parseRetryAfter(header) : undefined;
  const noAnswer =
    status === undefined && (e.code === 'REQUEST_SEND_ERROR' || e.code === 'ECONNRESET' || e.code === 'ETIMEDOUT');
  return {
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    noAnswer,
  };
}

/** `Retry-After` is seconds or an HTTP date. */
export function parseRetryAfter(value: string, now = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export function isRetryable(err: unknown, idempotent: boolean): boolean {
  const f = failureOf(err);
  if (f.status !== undefined) return RETRYABLE_STATUS.has(f.status);
  return idempotent && f.noAnswer;
}

export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err, options.idempotent)) throw err;
      const f = failureOf(err);
      // Asked to stay away for minutes: the caller is better told now than kept waiting.
      if ((f.retryAfterMs ?? 0) > MAX_WAIT_MS) throw err;
      // Full jitter on the exponential step, so many callers throttled at once spread out; a
      // Retry-After from Teams is a floor we never undercut.
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const jittered = Math.round(backoff / 2 + random() * (backoff / 2));
      const delayMs = Math.min(MAX_WAIT_MS, Math.max(jittered, f.retryAfterMs ?? 0));
      options.onRetry?.({ attempt, ...(f.status !== undefined ? { status: f.status } : {}), delayMs });
      await options.clock.sleep(delayMs);
    }
  }
}
