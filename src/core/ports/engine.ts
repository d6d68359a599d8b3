import type { InboundEvent } from '../model/event.ts';

/**
 * What an adapter hands its normalised events to. Adapters acknowledge the platform first and
 * then call `handle`; they never wait on it inside the platform's acknowledgement window.
 *
 * Guarantees:
 * - A redelivered event (same `eventId`) is recognised and does nothing the second time.
 * - `handle` never rejects for user errors: those become localised notices on the surface.
 *   It rejects only when the engine itself is broken (the store is down, for example).
 * - Replies go out through the adapter's `ChatSurface` (post, update, notify), not as a return value.
 */
export interface ChatEngine {
  handle(event: InboundEvent): Promise<void>;
}
