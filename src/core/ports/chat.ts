import type { Card, Capabilities } from '../model/card.ts';
import type { Actor, ConversationRef } from '../model/event.ts';

/** Identifies a posted message so it can be updated in place (`ts` on Slack, activity id on Teams). */
export type MessageRef = string;

/**
 * How the engine talks back. Each adapter implements it for its platform.
 *
 * Guarantees:
 * - `post` answers in the conversation's thread when the platform has threads.
 * - `update` replaces the card for everyone who sees it; it is only called when
 *   `capabilities.updateInPlace` is true.
 * - `notify` reaches only `actor`; it is only called when `capabilities.ephemeral` is true
 *   (otherwise the engine posts a notice that names the person).
 */
export interface ChatSurface {
  readonly capabilities: Capabilities;
  post(conversation: ConversationRef, card: Card): Promise<MessageRef>;
  update(conversation: ConversationRef, ref: MessageRef, card: Card): Promise<void>;
  notify(conversation: ConversationRef, actor: Actor, card: Card): Promise<void>;
}
