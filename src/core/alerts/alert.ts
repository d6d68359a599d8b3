/**
 * An alert, whichever way it came in (watch mode, a webhook, pasted text, the CLI): one shape,
 * so everything after intake is the same for all of them.
 */

export const ALERT_SOURCES = ['watch', 'alertmanager', 'healthbot', 'scom', 'event-log', 'text'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export type AlertState = 'raised' | 'cleared';

export interface Alert {
  /** As the alert named it (resolved against the inventory later; an unknown name stays as given). */
  readonly server: string;
  readonly healthSet: string;
  /** Only when the alert named one. */
  readonly monitor?: string;
  readonly state: AlertState;
  /** ISO 8601: when the sender says it happened (or when it was received, when it says nothing). */
  readonly at: string;
  readonly source: AlertSource;
  /** The original text, kept for the timeline; always shown as text, never as markup. */
  readonly text: string;
  /**
   * Identifies this delivery of this alert at its sender (Alertmanager's fingerprint and start
   * time, SCOM's alert id and resolution state, the event record id): a redelivery carries the same.
   */
  readonly deliveryId?: string;
}

/** What a parser found: alerts, or why there are none (a reason a sender can act on). */
export type AlertParse =
  { readonly ok: true; readonly alerts: readonly Alert[] } | { readonly ok: false; readonly reason: string };

export const parsed = (alerts: readonly Alert[]): AlertParse => ({ ok: true, alerts });
export const unparseable = (reason: string): AlertParse => ({ ok: false, reason });

/** The longest original text kept per alert: enough for an e-mail body, not a whole log. */
export const MAX_ALERT_TEXT = 8_000;

export function keepText(text: string): string {
  return text.length > MAX_ALERT_TEXT ? `${text.slice(0, MAX_ALERT_TEXT)}…` : text;
}

/** An ISO time from whatever a sender wrote, or `fallback` when it is missing or unreadable. */
export function isoTime(value: unknown, fallback: Date): string {
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime()) && d.getTime() > 0) return d.toISOString();
  }
  return fallback.toISOString();
}

/** `server1.contoso.com` → `SERVER1`; `CONTOSO\SERVER1` → `SERVER1`. Exchange names servers by their short name. */
export function shortServerName(name: string): string {
  const trimmed = name.trim();
  const afterDomain = trimmed.includes('\\') ? trimmed.slice(trimmed.lastIndexOf('\\') + 1) : trimmed;
  return (afterDomain.split('.')[0] ?? afterDomain).toUpperCase();
}
