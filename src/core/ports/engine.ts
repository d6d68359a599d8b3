import type { Card } from '../model/card.ts';
import type { ConversationRef, InboundEvent } from '../model/event.ts';
import type { MessageRef, ReplyHandle } from './chat.ts';

/** A card that still asks for something (an open incident's, a pending approval's), as it stands now. */
export interface StandingCard {
  readonly conversation: ConversationRef;
  /** Where the card was shown; updates go there. */
  readonly messageRef: MessageRef;
  readonly card: Card;
  /** ISO time it belongs at in the conversation (the incident opened, the approval requested). */
  readonly at: string;
  /** The question that opened the incident, and who asked it. */
  readonly question: { readonly text: string; readonly by: string };
}

/**
 * What an adapter hands its normalised events to. Adapters acknowledge the platform first and
 * then call `handle`; they never wait on it inside the platform's acknowledgement window.
 *
 * Guarantees:
 * - A redelivered event (same `eventId`) is recognised and does nothing the second time.
 * - `handle` does not reject: user errors and failures (of the store, of Exchange, of the chat
 *   platform) become localised notices to the person, each naming the part that failed. When the
 *   event could not even be claimed, the person is told to try again (nothing was done).
 * - Replies go out through the adapter's `ChatSurface` (post, update, notify), not as a return value.
 *   When the adapter gives a `reply` handle, every surface call this event's handling makes carries
 *   it (and no other event's), so the adapter can tell which event a call answers.
 */
export interface ChatEngine {
  handle(event: InboundEvent, reply?: ReplyHandle): Promise<void>;
  /**
   * For an event the adapter answers itself (Teams' "alerts here", Slack's echo of a slash
   * command): claims its id through the same de-duplication as `handle`, so a redelivery, a second
   * replica or a retry does it at most once. True exactly once per id, ever; false for a repeat.
   * Rejects when the claim could not be recorded: nothing was done, and the event may come again.
   */
  claim(eventId: string): Promise<boolean>;
  /**
   * The cards of open incidents and pending approvals in the conversations `owns` accepts, read
   * from the store and drawn again with fresh buttons (stored like any offered button), oldest
   * first. For a surface whose own history does not outlive the process (the web chat).
   */
  standingCards?(owns: (conversation: ConversationRef) => boolean): Promise<readonly StandingCard[]>;
}
