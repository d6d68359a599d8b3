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
