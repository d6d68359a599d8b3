/**
 * Conversation references for Teams, opaque to the engine: `teams:` followed by the Bot Framework
 * conversation id exactly as Teams sends it. In a channel that id carries `;messageid=<root>`, so
 * one reply chain is one conversation: follow-ups in the thread find their incident, and a card
 * clicked in the thread names the same conversation the incident was opened in.
 *
 * The service URL is deliberately not part of the reference. Microsoft may move a tenant to another
 * service URL; a reference that embedded it would stop matching the incidents opened before the
 * move. Where to send lives in the conversation directory instead (directory.ts).
 */
import type { ConversationRef } from '../../src/core/index.ts';

const PREFIX = 'teams:';
const THREAD_MARK = ';messageid=';
/** Teams conversation ids are a few dozen characters; anything far longer is not one. */
const MAX_ID = 512;

export function encodeRef(conversationId: string): ConversationRef {
  return `${PREFIX}${conversationId}`;
}

export function ownsRef(ref: ConversationRef): boolean {
  return ref.startsWith(PREFIX) && ref.length > PREFIX.length;
}

/** The Bot Framework conversation id inside a reference; throws for references of other adapters. */
export function decodeRef(ref: ConversationRef): string {
  if (!ownsRef(ref)) throw new Error(`not a Teams conversation reference: ${ref.slice(0, 40)}`);
  return ref.slice(PREFIX.length);
}

/** The channel or chat without the reply chain: `19:x@thread.tacv2;messageid=1` → `19:x@thread.tacv2`. */
export function baseConversationId(conversationId: string): string {
  const at = conversationId.indexOf(THREAD_MARK);
  return at < 0 ? conversationId : conversationId.slice(0, at);
}

/** The reply chain that starts with `rootMessageId` in a channel. */
export function threadConversationId(channelConversationId: string, rootMessageId: string): string {
  return `${baseConversationId(channelConversationId)}${THREAD_MARK}${rootMessageId}`;
}

export function isPlausibleConversationId(id: unknown): id is string {
  // eslint-disable-next-line no-control-regex
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID && !/[\u0000-\u001f\s]/.test(id);
}
