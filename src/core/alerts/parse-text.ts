/**
 * Pasted alert text: the body of an escalation e-mail or a SCOM notification, in English or
 * German. Labelled lines are read first ("Health set: IMAP", "Integritätsgruppe: IMAP",
 * "Server: SERVER1", "Monitor: ImapCTPMonitor"); without labels, the names the bot knows (servers
 * from the inventory, health sets from the catalogue) are looked for in the text, the longest
 * health-set name first (IMAP.Proxy before IMAP).
 */
import type { AlertParse, AlertState } from './alert.ts';
import { isoTime, keepText, parsed, shortServerName, unparseable } from './alert.ts';
import { healthSetFromTitle, monitorFromText, monitorName } from './parse-json.ts';

export interface AlertVocabulary {
  readonly servers: readonly { readonly name: string; readonly fqdn?: string }[];
  readonly healthSets: readonly string[];
}

const LABELS = {
  healthSet: ['health set', 'healthset', 'health set name', 'integritätsgruppe', 'integritätssatz', 'integritätsset'],
  server: ['server', 'computer', 'server name', 'servername', 'machine', 'computername'],
  monitor: ['monitor', 'monitor name', 'überwachung', 'monitorname'],
  time: ['time raised', 'raised', 'date', 'time', 'ausgelöst', 'zeitpunkt', 'datum', 'zeit'],
} as const;

/** Words that say the alert is over. Checked on the subject-like first lines and any state line. */
const CLEARED =
  /\b(resolved|cleared|closed|recovered|healthy again|returned to (a )?healthy|is healthy)\b|\b(behoben|aufgehoben|geschlossen|wiederhergestellt|wieder (fehlerfrei|integer|in ordnung))\b/i;

function labelled(lines: readonly string[], names: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = /^\s*([\p{L} ]{2,30}?)\s*[:=]\s*(.+?)\s*$/u.exec(line);
    if (m && names.includes(m[1]!.toLowerCase())) return m[2];
  }
  return undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function findKnown(text: string, names: readonly string[]): string | undefined {
  const byLength = [...names].sort((a, b) => b.length - a.length);
  // A name is a whole word: IMAP in "IMAP.Proxy" is not IMAP, and SERVER1 in "SERVER10" is not SERVER1.
  return byLength.find((n) => new RegExp(`(^|[^\\w.])${escapeRe(n)}(?![\\w]|\\.\\w)`, 'i').test(text));
}

export function parseAlertText(input: string, vocabulary: AlertVocabulary, now: Date): AlertParse {
  const text = input.replace(/^\s*(?:<@[^>]+>|@healthbot\b)\s*/i, '').trim();
  if (!text) return unparseable('the text is empty');
  const lines = text.split(/\r?\n/);
  const labelledSet = labelled(lines, LABELS.healthSet);
  const labelledServer = labelled(lines, LABELS.server);
  const knownSets = vocabulary.healthSets;
  const healthSet =
    (labelledSet ? (knownSets.find((h) => h.toLowerCase() === labelledSet.toLowerCase()) ?? labelledSet) : undefined) ??
    findKnown(text, knownSets) ??
    healthSetFromTitle(text);
  const serverNames = vocabulary.servers.flatMap((s) => [s.name, ...(s.fqdn ? [s.fqdn] : [])]);
  const serverText = labelledServer ?? findKnown(text, serverNames);
  if (!healthSet && !serverText) return unparseable('no health set and no server found in the text');
  if (!healthSet) return unparseable('no health set found in the text');
  if (!serverText) return unparseable('no server found in the text');
  const monitor = monitorName(labelled(lines, LABELS.monitor)) ?? monitorFromText(text);
  const head = lines.slice(0, 3).join('\n');
  const stateLine = labelled(lines, ['state', 'status', 'zustand', 'resolution state', 'lösungsstatus']) ?? '';
  const state: AlertState = CLEARED.test(head) || CLEARED.test(stateLine) ? 'cleared' : 'raised';
  const when = labelled(lines, LABELS.time);
  return parsed([
    {
      server: shortServerName(serverText.split(/\s+/)[0]!),
      healthSet,
      ...(monitor ? { monitor } : {}),
      state,
      at: isoTime(when && /\d{4}-\d\d-\d\d/.test(when) ? when : undefined, now),
      source: 'text',
      text: keepText(text),
    },
  ]);
}
