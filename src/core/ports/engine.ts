import type { InboundEvent } from '../model/event.ts';

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
 */
export interface ChatEngine {
  handle(event: InboundEvent): Promise<void>;
}
