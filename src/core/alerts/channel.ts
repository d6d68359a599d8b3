import type { Card } from '../model/card.ts';
import type { ConversationRef } from '../model/event.ts';
import type { MessageRef } from '../ports/chat.ts';

/** Where a posted alert card sits, and the conversation its follow-ups (and its diagnosis) live in. */
export interface PostedAlert {
  /** The thread under the alert card (or the alerts conversation itself where there are no threads). */
  readonly conversation: ConversationRef;
  readonly messageRef: MessageRef;
}

/**
 * One platform's alerts channel: Slack's configured channel, Teams' "alerts here" conversation,
 * the web chat's Alerts thread. The composition root provides one per configured platform.
 *
 * Guarantees:
 * - `post` shows a new card where alerts go and answers where it is; it throws when the platform
 *   has nowhere to put it (no channel chosen yet), and nothing was posted then.
 * - `update` replaces a card `post` answered for, in place.
 */
export interface AlertChannel {
  /** A short name for logs and the store (`slack`, `teams`, `web`). */
  readonly name: string;
  post(card: Card): Promise<PostedAlert>;
  update(posted: PostedAlert, card: Card): Promise<void>;
}
