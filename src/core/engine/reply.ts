/**
 * Talking back through a chat surface, degrading by capability (never by platform name):
 * without update-in-place a changed card is posted anew; without ephemeral messages a private
 * notice is posted to the conversation, addressed to the person by name.
 */
import type { Card } from '../model/card.ts';
import type { Actor, ConversationRef } from '../model/event.ts';
import type { ChatSurface, MessageRef } from '../ports/chat.ts';

export async function showCard(
  surface: ChatSurface,
  conversation: ConversationRef,
  ref: MessageRef | undefined,
  card: Card,
): Promise<MessageRef> {
  if (ref && surface.capabilities.updateInPlace) {
    await surface.update(conversation, ref, card);
    return ref;
  }
  return surface.post(conversation, card);
}

export async function tellPrivately(
  surface: ChatSurface,
  conversation: ConversationRef,
  actor: Actor,
  card: Card,
): Promise<void> {
  if (surface.capabilities.ephemeral) {
    await surface.notify(conversation, actor, card);
    return;
  }
  await surface.post(conversation, { ...card, title: `${actor.displayName}: ${card.title}` });
}

/**
 * Sends progress updates without flooding the platform: at most one update in flight, and only
 * the newest card is sent after it. `flush` waits until everything pushed has been sent.
 */
export function coalescingUpdates(send: (card: Card) => Promise<void>, onError: (err: unknown) => void) {
  let pending: Card | undefined;
  let running: Promise<void> | undefined;
  const drain = async () => {
    while (pending) {
      const card = pending;
      pending = undefined;
      try {
        await send(card);
      } catch (err) {
        onError(err);
      }
    }
    running = undefined;
  };
  return {
    push(card: Card) {
      pending = card;
      running ??= drain();
    },
    async flush() {
      while (running) await running;
    },
  };
}
