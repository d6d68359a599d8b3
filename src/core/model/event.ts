/**
 * What adapters hand to the engine. Platform types stop at the adapter; the engine sees these.
 */

export interface Actor {
  /** Platform name for logs and the audit trail only; the engine never branches on it. */
  readonly platform: string;
  /** Platform user id (`U123`, an AAD object id, a lab persona). */
  readonly userId: string;
  readonly displayName: string;
  /** Directory identity (email or UPN) when known; the two-person rule prefers it. */
  readonly directoryId?: string;
  /** BCP 47 language tag from the platform (`de-DE`); the engine maps it to a supported locale. */
  readonly locale?: string;
  /** Groups the platform reports for the user (Slack user groups, AAD groups), for role checks. */
  readonly groups?: readonly string[];
}

/** Opaque to the engine: only the adapter that made it can decode it (`slack:C123:1712345.678`). */
export type ConversationRef = string;

interface EventBase {
  /** Unique per delivery of the platform's event; redeliveries carry the same id. */
  readonly eventId: string;
  readonly conversation: ConversationRef;
  readonly actor: Actor;
  /** Escape hatch for adapters; the engine never reads it. */
  readonly raw?: unknown;
}

export interface MessageEvent extends EventBase {
  readonly kind: 'message';
  readonly text: string;
}

/** A button click. `actionId` is the id the engine put on the button. */
export interface ActionEvent extends EventBase {
  readonly kind: 'action';
  readonly actionId: string;
  /** Free-form value the engine attached to the button (never trusted: ids are looked up). */
  readonly value?: string;
}

export type InboundEvent = MessageEvent | ActionEvent;
