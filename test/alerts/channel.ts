/** An alerts channel over the recording surface: each alert card is a root, its thread a conversation. */
import type { Card } from '../../src/core/index.ts';
import type { AlertChannel, PostedAlert } from '../../src/core/alerts/index.ts';
import type { RecordingSurface } from '../../src/cli/surface.ts';

export interface RecordingChannel extends AlertChannel {
  /** Every card posted to the channel itself (not into threads), newest last. */
  readonly posted: { readonly ref: string; readonly card: () => Card }[];
  failNext?: boolean;
}

export function recordingChannel(surface: RecordingSurface, name = 'test'): RecordingChannel {
  const posted: RecordingChannel['posted'][number][] = [];
  const channel: RecordingChannel = {
    name,
    posted,
    async post(card: Card): Promise<PostedAlert> {
      if (channel.failNext) {
        channel.failNext = false;
        throw new Error('no alerts channel chosen');
      }
      const ref = await surface.post(`${name}:alerts`, card);
      posted.push({ ref, card: () => surface.messages.find((m) => m.ref === ref)!.card });
      return { conversation: `${name}:alerts:${ref}`, messageRef: ref };
    },
    async update(place: PostedAlert, card: Card): Promise<void> {
      await surface.update(place.conversation, place.messageRef, card);
    },
  };
  return channel;
}
