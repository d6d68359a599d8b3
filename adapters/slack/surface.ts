/**
 * The engine's replies on Slack. Answers go into the question's thread; the diagnosis card is
 * one message updated in place; refusals are ephemeral, so only the clicker sees them.
 *
 * Card updates are coalesced. Each message has at most one `chat.update` in flight and keeps only
 * the newest card waiting behind it, sent no sooner than `minUpdateIntervalMs` after the last
 * one; across the workspace, updates share a budget below `chat.update`'s Tier 3 limit. A storm of
 * incidents therefore skips intermediate progress cards instead of queueing them, and the final
 * card always arrives.
 */
import type { types, webApi } from '@slack/bolt';
import type { Actor, Card, ChatSurface, Clock, ConversationRef, MessageRef } from '../../src/core/index.ts';
import { renderBlocks } from './blocks.ts';
import { decodeThread } from './conversation.ts';

export interface SlackSurfaceOptions {
  readonly client: webApi.WebClient;
  readonly clock: Clock;
  readonly log: (level: 'warn' | 'error', msg: string, fields?: object) => void;
  /** Per message: at least this long between two updates (default 1 s). */
  readonly minUpdateIntervalMs?: number;
  /** Across all messages: at most this many updates a minute (default 45; Tier 3 is 50+). */
  readonly updatesPerMinute?: number;
}

export interface SlackSurface extends ChatSurface {
  /** Resolves when every coalesced update has been sent (tests, shutdown). */
  flush(): Promise<void>;
  /** How many messages the surface keeps state for (bounded; tests). */
  readonly tracked: number;
}

interface Pending {
  card: Card | undefined;
  inFlight: Promise<void> | undefined;
  lastSentAt: number;
  timer: NodeJS.Timeout | undefined;
}

const fresh = (lastSentAt: number): Pending => ({ card: undefined, inFlight: undefined, lastSentAt, timer: undefined });

function thread(conversation: ConversationRef) {
  const t = decodeThread(conversation);
  if (!t) throw new Error(`not a Slack conversation: ${conversation}`);
  return t;
}

/** A spacing limiter: returns how long to wait before the next call may go. */
function budget(perMinute: number, now: () => number) {
  const spacing = 60_000 / perMinute;
  let next = 0;
  return () => {
    const at = Math.max(now(), next);
    next = at + spacing;
    return at - now();
  };
}

export function createSlackSurface(options: SlackSurfaceOptions): SlackSurface {
  const { client } = options;
  const minInterval = options.minUpdateIntervalMs ?? 1_000;
  const now = () => options.clock.now().getTime();
  const nextUpdateSlot = budget(options.updatesPerMinute ?? 45, now);
  const pending = new Map<string, Pending>();
  const idle = new Set<() => void>();

  // Only recently sent messages need an entry (to space their next update); the rest are dropped,
  // so a bot that posts for months does not keep one per message.
  const forgetIdle = () => {
    if (pending.size < 256) return;
    for (const [key, p] of pending) if (!p.card && !p.inFlight && !p.timer && now() - p.lastSentAt >= minInterval) pending.delete(key);
  };

  const settleIfIdle = () => {
    if ([...pending.values()].every((p) => !p.card && !p.inFlight && !p.timer)) for (const done of [...idle]) done();
  };

  function schedule(key: string, channel: string, ts: string) {
    const p = pending.get(key)!;
    if (p.inFlight || p.timer || !p.card) return;
    const wait = Math.max(p.lastSentAt + minInterval - now(), nextUpdateSlot());
    const send = () => {
      p.timer = undefined;
      const card = p.card;
      if (!card) return settleIfIdle();
      p.card = undefined;
      const message = renderBlocks(card);
      p.inFlight = client.chat
        .update({ channel, ts, text: message.text, blocks: message.blocks })
        .then(
          () => undefined,
          (err: unknown) => options.log('error', 'chat.update failed', { channel, ts, err: String(err) }),
        )
        .finally(() => {
          p.inFlight = undefined;
          p.lastSentAt = now();
          if (p.card) schedule(key, channel, ts);
          else settleIfIdle();
        });
    };
    if (wait <= 0) send();
    else p.timer = setTimeout(send, wait);
  }

  return {
    capabilities: { updateInPlace: true, ephemeral: true, threads: true, buttons: true },

    async post(conversation, card) {
      const t = thread(conversation);
      const message = renderBlocks(card);
      const r = await client.chat.postMessage({ channel: t.channel, thread_ts: t.threadTs, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
      if (!r.ts) throw new Error('chat.postMessage returned no ts');
      forgetIdle();
      pending.set(`${t.channel}:${r.ts}`, fresh(now()));
      return r.ts;
    },

    async update(conversation, ref: MessageRef, card) {
      const t = thread(conversation);
      const key = `${t.channel}:${ref}`;
      let p = pending.get(key);
      if (!p) {
        forgetIdle();
        p = fresh(0);
        pending.set(key, p);
      }
      p.card = card;
      schedule(key, t.channel, ref);
    },

    async notify(conversation, actor: Actor, card) {
      const t = thread(conversation);
      const message = renderBlocks(card);
      await client.chat.postEphemeral({
        channel: t.channel,
        user: actor.userId,
        thread_ts: t.threadTs,
        text: message.text,
        blocks: message.blocks as types.KnownBlock[],
      });
    },

    get tracked() {
      return pending.size;
    },

    flush() {
      return new Promise<void>((resolve) => {
        const done = () => {
          idle.delete(done);
          resolve();
        };
        idle.add(done);
        settleIfIdle();
      });
    },
  };
}
