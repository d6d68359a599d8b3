/**
 * An alert pasted into the chat with the bot mentioned: the body of an escalation e-mail or a SCOM
 * notification. When the text reads as an alert for a server and a health set the bot knows, it
 * is diagnosed like a question about them, in the conversation it was pasted in; alerts for the
 * same problem that arrive later join that incident.
 */
import type { MessageEvent } from '../model/event.ts';
import type { ServerInfo } from '../model/exchange.ts';
import type { KnownHealthSet } from '../engine/catalogue.ts';
import { findServer } from '../engine/servers.ts';
import type { Alert } from './alert.ts';
import { parseAlertText } from './parse-text.ts';
import { resolveAlert } from './resolve.ts';

/** Words an alert carries and a question hardly does. */
const ALERTISH =
  /\b(alert|health ?set|unhealthy|escalat\w*|subject|source|warnung|integritätsgruppe|integritätssatz|fehlerhaft|betreff|quelle)\b/i;

/** The alert in a pasted text, when it is one (several lines, alert words, a known server and health set). */
export function pastedAlert(
  event: MessageEvent,
  servers: readonly ServerInfo[],
  healthSets: readonly KnownHealthSet[],
  now: Date,
): { alert: Alert; server: ServerInfo } | undefined {
  const text = event.text.trim();
  if (text.split(/\r?\n/).filter((l) => l.trim()).length < 2 || !ALERTISH.test(text)) return undefined;
  const parsed = parseAlertText(text, { servers, healthSets: healthSets.map((h) => h.name) }, now);
  if (!parsed.ok) return undefined;
  const resolved = resolveAlert(parsed.alerts[0]!, servers, healthSets);
  const server = findServer(servers, resolved.alert.server);
  if (!server || !resolved.known.healthSet) return undefined;
  return { alert: resolved.alert, server };
}
