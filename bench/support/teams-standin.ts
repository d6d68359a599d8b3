/**
 * The Bot Connector (Teams) for benchmarks: a `Connector` answering after a realistic latency and
 * throttling like Teams: past Microsoft's documented per-bot, per-thread limits ("Optimize your
 * bot: rate limiting", 7 in 1 s, 8 in 2 s, 60 in 30 s, 1800 in an hour) and the limit for all
 * conversations of a bot (50 operations a second) it fails the call with HTTP 429 and
 * `Retry-After`, as the connector client reports them, and counts it.
 * Reusable by any benchmark that needs Teams (the `lighter` figures too).
 */
import type { Connector } from '../../adapters/teams/connector.ts';
import { SlidingLimits } from './limits.ts';

export interface TeamsStandIn {
  readonly connector: Connector;
  readonly calls: {
    readonly kind: 'send' | 'update' | 'member' | 'personal';
    readonly conversationId: string;
    readonly status: number;
  }[];
  throttled(): number;
}

function throttledError(seconds: number): Error {
  return Object.assign(new Error('Too Many Requests'), {
    statusCode: 429,
    response: {
      status: 429,
      headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? String(seconds) : undefined) },
    },
  });
}

export function teamsStandIn(options: { latencyMs?: number } = {}): TeamsStandIn {
  const latency = options.latencyMs ?? 60;
  const perThread = new SlidingLimits([
    { windowMs: 1_000, max: 7 },
    { windowMs: 2_000, max: 8 },
    { windowMs: 30_000, max: 60 },
    { windowMs: 3_600_000, max: 1_800 },
  ]);
  const global = new SlidingLimits([{ windowMs: 1_000, max: 50 }]);
  const calls: { kind: 'send' | 'update' | 'member' | 'personal'; conversationId: string; status: number }[] = [];
  let next = 1;
  const gate = async (kind: 'send' | 'update' | 'member' | 'personal', conversationId: string) => {
    const now = Date.now();
    // A channel's threads are `<channel>;messageid=<root>`: each is a thread of its own.
    const wait = Math.max(
      global.take('bot', now),
      kind === 'send' || kind === 'update' ? perThread.take(conversationId, now) : 0,
    );
    calls.push({ kind, conversationId, status: wait > 0 ? 429 : 200 });
    if (wait > 0) throw throttledError(wait);
    await new Promise((r) => setTimeout(r, latency));
  };
  const connector: Connector = {
    async send(_url, conversationId) {
      await gate('send', conversationId);
      return `m${next++}`;
    },
    async update(_url, conversationId) {
      await gate('update', conversationId);
    },
    async member(_url, conversationId, userId) {
      await gate('member', conversationId);
      return { id: userId, name: userId };
    },
    async openPersonalChat(_url, input) {
      await gate('personal', input.userId);
      return `a:personal-${input.userId}`;
    },
  };
  return { connector, calls, throttled: () => calls.filter((c) => c.status === 429).length };
}
