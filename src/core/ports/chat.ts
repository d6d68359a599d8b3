import type { Card, Capabilities } from '../model/card.ts';
import type { Actor, ConversationRef } from '../model/event.ts';

/** Identifies a posted message so it can be updated in place (`ts` on Slack, activity id on Teams). */
export type MessageRef = string;

/**
 * The event a reply answers, handed by the adapter to `ChatEngine.handle` and passed back by the
 * engine, explicitly, to every surface call that handling makes (its own work only: two events in
 * flight at once carry two handles, so neither can answer for the other). Adapters whose platform
 * answers an event directly (a Teams invoke) put what they need in their own implementation of
 * this type; the engine never looks inside.
 */
export interface ReplyHandle {
  /** The event being answered (its `eventId`). */
  readonly eventId: string;
}

/**
 * How the engine talks back. Each adapter implements it for its platform.
 *
 * Guarantees:
 * - `post` answers in the conversation's thread when the platform has threads.
 * - `update` replaces the card for everyone who sees it; it is only called when
 *   `capabilities.updateInPlace` is true.
 * - `notify` reaches only `actor`; it is only called when `capabilities.ephemeral` is true
 *   (otherwise the engine posts a notice that names the person).
 * - `reply`, when given, is the handle of the event whose handling makes the call; calls made by
 *   timers, recovery and the CLI carry none.
 */
export interface ChatSurface {
  readonly capabilities: Capabilities;
  post(conversation: ConversationRef, card: Card, reply?: ReplyHandle): Promise<MessageRef>;
  update(conversation: ConversationRef, ref: MessageRef, card: Card, reply?: ReplyHandle): Promise<void>;
  notify(conversation: ConversationRef, actor: Actor, card: Card, reply?: ReplyHandle): Promise<void>;
}
