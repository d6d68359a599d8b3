/**
 * The engine's replies on Slack. Answers go into the question's thread; the diagnosis card is
 * one message updated in place; refusals are ephemeral, so only the clicker sees them.
 *
 * Card updates are coalesced. Each message has at most one `chat.update` in flight and keeps only
 * the newest card waiting behind it, sent no sooner than `minUpdateIntervalMs` after the last
 * one; across the workspace, updates share a budget below `chat.update`'s Tier 3 limit. A storm of
 * incidents therefore skips intermediate progress cards instead of queueing them, and the final
 * card always arrives. The coalescing is core's one Coalescer and the pacing the adapters' shared
 * one (adapters/shared), both waiting on the injected clock.
 *
 * New messages are paced per channel too: Slack allows `chat.postMessage` about one message a
 * second per channel, with short bursts. Thirty people asking at once in one channel get their
 * first cards a second or so apart, instead of the bot being throttled and retrying after Slack's
 * back-off. Ephemeral refusals share a budget below Tier 4 (100 a minute).
 */
import type { types, webApi } from '@slack/bolt';
import type { Actor, Card, ChatSurface, Clock, ConversationRef, MessageRef } from '../../src/core/index.ts';
import { Coalescer } from '../../src/core/index.ts';
import { renderBlocks } from './blocks.ts';
import { decodeThread } from './conversation.ts';
import { evenSpacing, KeyedWindows, SlidingWindows, takeSlot } from '../shared/index.ts';
import type { RateWindow } from '../shared/index.ts';

export interface SlackSurfaceOptions {
  readonly client: webApi.WebClient;
  readonly clock: Clock;
  readonly log: (level: 'warn' | 'error', msg: string, fields?: object) => void;
  /** Per message: at least this long between two updates (default 1 s). */
  readonly minUpdateIntervalMs?: number;
  /** Across all messages: at most this many updates a minute (default 45; Tier 3 is 50+). */
  readonly updatesPerMinute?: number;
  /** Per channel, for new messages (default POST_LIMITS). */
  readonly postLimits?: readonly RateWindow[];
}

/**
 * Short bursts of two, a little under one a second sustained. The windows are wider than Slack's
 * second on purpose: Slack counts arrivals, and two calls booked a second apart here can arrive
 * closer together after the network and a busy event loop.
 */
export const POST_LIMITS: readonly RateWindow[] = [
  { windowMs: 1_250, max: 2 },
  { windowMs: 35_000, max: 30 },
];
const EPHEMERAL_LIMITS: readonly RateWindow[] = [{ windowMs: 60_000, max: 90 }];

export interface SlackSurface extends ChatSurface {
  /** Resolves when every coalesced update has been sent (tests, shutdown). */
  flush(): Promise<void>;
  /** How many messages the surface keeps state for (bounded; tests). */
  readonly tracked: number;
}

function thread(conversation: ConversationRef) {
  const t = decodeThread(conversation);
  if (!t) throw new Error(`not a Slack conversation: ${conversation}`);
  return t;
}

export function createSlackSurface(options: SlackSurfaceOptions): SlackSurface {
  const { client } = options;
  const now = () => options.clock.now().getTime();
  const posts = new KeyedWindows(options.postLimits ?? POST_LIMITS);
  const ephemerals = new SlidingWindows(EPHEMERAL_LIMITS);
  // Keys are `<channel>\n<ts>`: the message to update.
  const updates = new Coalescer<Card>({
    clock: options.clock,
    minIntervalMs: options.minUpdateIntervalMs ?? 1_000,
    nextSlot: evenSpacing(options.updatesPerMinute ?? 45, now),
    async send(key, card) {
      const [channel, ts] = key.split('\n') as [string, string];
      const message = renderBlocks(card);
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    },
    failed: (key, err) => {
      const [channel, ts] = key.split('\n');
      options.log('error', 'chat.update failed', { channel, ts, err: String(err) });
    },
  });

  return {
    capabilities: { updateInPlace: true, ephemeral: true, threads: true, buttons: true },

    async post(conversation, card) {
      const t = thread(conversation);
      const message = renderBlocks(card);
      await takeSlot([posts.of(t.channel, now())], options.clock);
      const r = await client.chat.postMessage({
        channel: t.channel,
        thread_ts: t.threadTs,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!r.ts) throw new Error('chat.postMessage returned no ts');
      updates.sentNow(`${t.channel}\n${r.ts}`);
      return r.ts;
    },

    async update(conversation, ref: MessageRef, card) {
      const t = thread(conversation);
      updates.offer(`${t.channel}\n${ref}`, card);
    },

    async notify(conversation, actor: Actor, card) {
      const t = thread(conversation);
      const message = renderBlocks(card);
      await takeSlot([ephemerals], options.clock);
      await client.chat.postEphemeral({
        channel: t.channel,
        user: actor.userId,
        thread_ts: t.threadTs,
        text: message.text,
        blocks: message.blocks as types.KnownBlock[],
      });
    },

    get tracked() {
      return updates.tracked;
    },

    flush: () => updates.flush(),
  };
}
