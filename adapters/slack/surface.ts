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
 */
import type { types, webApi } from '@slack/bolt';
import type { Actor, Card, ChatSurface, Clock, ConversationRef, MessageRef } from '../../src/core/index.ts';
import { Coalescer } from '../../src/core/index.ts';
import { renderBlocks } from './blocks.ts';
import { decodeThread } from './conversation.ts';
import { evenSpacing } from '../shared/index.ts';

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

function thread(conversation: ConversationRef) {
  const t = decodeThread(conversation);
  if (!t) throw new Error(`not a Slack conversation: ${conversation}`);
  return t;
}

export function createSlackSurface(options: SlackSurfaceOptions): SlackSurface {
  const { client } = options;
  const now = () => options.clock.now().getTime();
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
