/**
 * What on-call people type, with what it must mean. Written from the issue's examples, from
 * peers' users (chatops-peers.md) and from our own incident habits: typos, FQDNs, shouting,
 * mentions, Slack link markup, German, follow-ups in a thread.
 *
 * `hs` and `server` are the canonical names; `problem` is the first problem's kind and its first
 * suggestion.
 */
import { HEALTH_SET_CORPUS, HEALTH_SET_CORPUS_DE } from './corpus-health-sets.ts';
import { CORPUS_ES, CORPUS_FR, CORPUS_JA } from './corpus-languages.ts';

export interface Case {
  readonly text: string;
  readonly kind: 'diagnose' | 'status' | 'rerun' | 'cancel' | 'help' | 'unknown';
  readonly hs?: string;
  readonly server?: string;
  readonly followUp?: boolean;
  readonly locale?: 'en' | 'de' | 'fr' | 'es' | 'ja';
  /** The person's profile language, for questions whose words do not tell. */
  readonly localeHint?: string;
  readonly problem?: { kind: 'unknown-health-set' | 'unknown-server'; suggestion?: string };
}

const FIRST_CORPUS: readonly Case[] = [
  // The issue's own phrasings.
  { text: "what's wrong with IMAP on server1?", kind: 'diagnose', hs: 'IMAP', server: 'SERVER1', locale: 'en' },
  { text: 'is ECP ok on server1', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER1', locale: 'en' },
  { text: 'check imap proxy on SERVER1.contoso.com', kind: 'diagnose', hs: 'IMAP.Proxy', server: 'SERVER1' },
  { text: 'imap broken on server1??', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'status server1', kind: 'diagnose', server: 'SERVER1' },
  { text: 'help', kind: 'help', locale: 'en' },
  { text: 'was ist mit IMAP auf server1 los?', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1', locale: 'de' },
  // English, the usual ways.
  { text: 'whats wrong with imap on server1', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'What’s wrong with IMAP on SERVER1?', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'WHAT IS WRONG WITH IMAP ON SERVER1', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'imap on server1', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'server1 imap', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'imap server1', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'IMAP4 down on server2', kind: 'diagnose', hs: 'IMAP', server: 'SERVER2' },
  { text: 'imap4 is failing on server2!!!', kind: 'diagnose', hs: 'IMAP', server: 'SERVER2' },
  { text: 'can you check IMAP on server2 please', kind: 'diagnose', hs: 'IMAP', server: 'SERVER2' },
  { text: 'please look at imap on mbx1', kind: 'diagnose', hs: 'IMAP', server: 'MBX1' },
  { text: 'any issues with imap on server1?', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'is imap healthy on server1', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'diagnose IMAP server1', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'troubleshoot imap on server1.contoso.com', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'IMAP alert on server1, what is going on', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'users say imap is slow on server2', kind: 'diagnose', hs: 'IMAP', server: 'SERVER2' },
  { text: 'imap.protocol on mbx1', kind: 'diagnose', hs: 'IMAP.Protocol', server: 'MBX1' },
  { text: 'check IMAP.Protocol on MBX1.contoso.com', kind: 'diagnose', hs: 'IMAP.Protocol', server: 'MBX1' },
  { text: 'imap backend on mbx1 broken', kind: 'diagnose', hs: 'IMAP.Protocol', server: 'MBX1' },
  { text: 'imap back end mbx1', kind: 'diagnose', hs: 'IMAP.Protocol', server: 'MBX1' },
  { text: 'IMAP.Proxy server2', kind: 'diagnose', hs: 'IMAP.Proxy', server: 'SERVER2' },
  { text: 'imap-proxy on server2?', kind: 'diagnose', hs: 'IMAP.Proxy', server: 'SERVER2' },
  { text: 'imap4 proxy on server1', kind: 'diagnose', hs: 'IMAP.Proxy', server: 'SERVER1' },
  { text: 'is the imap proxy ok on server2', kind: 'diagnose', hs: 'IMAP.Proxy', server: 'SERVER2' },
  { text: 'ECP on server1', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER1' },
  { text: 'EAC is down on server2', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER2' },
  { text: 'ecp proxy broken on server1', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER1' },
  { text: 'ECP.Proxy server1', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER1' },
  { text: 'the exchange admin center does not load on server1', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER1' },
  { text: 'control panel on server2 is broken', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER2' },
  { text: 'check owa on server1', kind: 'diagnose', hs: 'OWA', server: 'SERVER1' },
  { text: 'is activesync ok on server2', kind: 'diagnose', hs: 'ActiveSync', server: 'SERVER2' },
  { text: 'pop3 on server1', kind: 'diagnose', hs: 'POP', server: 'SERVER1' },
  { text: 'check ews proxy on server1', kind: 'diagnose', hs: 'EWS.Proxy', server: 'SERVER1' },
  { text: 'outlook anywhere on server2', kind: 'diagnose', hs: 'Outlook', server: 'SERVER2' },
  { text: 'HubTransport on mbx1', kind: 'diagnose', hs: 'HubTransport', server: 'MBX1' },
  { text: 'check server1', kind: 'diagnose', server: 'SERVER1' },
  { text: 'how is server2 doing', kind: 'diagnose', server: 'SERVER2' },
  { text: 'server1', kind: 'diagnose', server: 'SERVER1' },
  { text: 'health of mbx1.contoso.com', kind: 'diagnose', server: 'MBX1' },
  { text: 'status SERVER2', kind: 'diagnose', server: 'SERVER2' },
  // Mentions and markup, as Slack and Teams deliver them.
  { text: "<@U0123ABC> what's wrong with IMAP on server1?", kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: '@healthbot imap on server1', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: '<at>Healthbot</at> is ECP ok on server2', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER2' },
  {
    text: 'check imap on <http://server1.contoso.com|server1.contoso.com>',
    kind: 'diagnose',
    hs: 'IMAP',
    server: 'SERVER1',
  },
  { text: 'check imap on <http://server1.contoso.com>', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: '<!here> imap broken on server2', kind: 'diagnose', hs: 'IMAP', server: 'SERVER2' },
  { text: '*IMAP* on `server1`', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: '"imap" on "server1"', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: '  imap    on\tserver1  ', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'imap on server1.', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  { text: 'imap on server1, asap', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1' },
  // Follow-ups in a thread.
  { text: 'and on server2?', kind: 'diagnose', server: 'SERVER2', followUp: true },
  { text: 'what about server2', kind: 'diagnose', server: 'SERVER2', followUp: true },
  { text: 'how about mbx1?', kind: 'diagnose', server: 'MBX1', followUp: true },
  { text: 'also server2', kind: 'diagnose', server: 'SERVER2', followUp: true },
  { text: 'and ecp?', kind: 'diagnose', hs: 'ECP.Proxy' },
  { text: 'what about imap proxy', kind: 'diagnose', hs: 'IMAP.Proxy' },
  { text: 'rerun on server2', kind: 'diagnose', server: 'SERVER2', followUp: true },
  { text: 'is it still broken?', kind: 'diagnose', followUp: true },
  { text: 'still failing?', kind: 'diagnose', followUp: true },
  { text: 'rerun the probe', kind: 'rerun' },
  { text: 'rerun', kind: 'rerun' },
  { text: 'run it again', kind: 'rerun' },
  { text: 'check again please', kind: 'rerun' },
  { text: 'retry', kind: 'rerun' },
  { text: 'status', kind: 'status' },
  { text: 'status?', kind: 'status' },
  { text: "what's the status", kind: 'status' },
  { text: 'any update?', kind: 'status' },
  { text: 'cancel', kind: 'cancel' },
  { text: 'cancel my request', kind: 'cancel' },
  { text: 'abort', kind: 'cancel' },
  { text: 'never mind, cancel that', kind: 'cancel' },
  { text: 'help me', kind: 'help' },
  { text: 'what can you do?', kind: 'help' },
  { text: '', kind: 'help' },
  { text: '<@U0123ABC>', kind: 'help' },
  { text: 'commands', kind: 'help' },
  // Typos and unknowns.
  {
    text: 'IMPA on server1',
    kind: 'diagnose',
    server: 'SERVER1',
    problem: { kind: 'unknown-health-set', suggestion: 'IMAP' },
  },
  {
    text: "what's wrong with IMPA on server1?",
    kind: 'diagnose',
    server: 'SERVER1',
    problem: { kind: 'unknown-health-set', suggestion: 'IMAP' },
  },
  {
    text: 'imao on server1',
    kind: 'diagnose',
    server: 'SERVER1',
    problem: { kind: 'unknown-health-set', suggestion: 'IMAP' },
  },
  {
    text: 'check ecpp on server1',
    kind: 'diagnose',
    server: 'SERVER1',
    problem: { kind: 'unknown-health-set', suggestion: 'ECP.Proxy' },
  },
  {
    text: 'whats wrong with frobnicator on server1',
    kind: 'diagnose',
    server: 'SERVER1',
    problem: { kind: 'unknown-health-set' },
  },
  { text: 'imap on server9', kind: 'diagnose', hs: 'IMAP', problem: { kind: 'unknown-server', suggestion: 'SERVER1' } },
  { text: 'imap on sever1', kind: 'diagnose', hs: 'IMAP', problem: { kind: 'unknown-server', suggestion: 'SERVER1' } },
  {
    text: 'imap on server1.fabrikam.com',
    kind: 'diagnose',
    hs: 'IMAP',
    problem: { kind: 'unknown-server', suggestion: 'server1.contoso.com' },
  },
  { text: 'imap on mbx2', kind: 'diagnose', hs: 'IMAP', problem: { kind: 'unknown-server', suggestion: 'MBX1' } },
  { text: 'imap on exch-prod-01', kind: 'diagnose', hs: 'IMAP', problem: { kind: 'unknown-server' } },
  { text: 'check imap on foo', kind: 'diagnose', hs: 'IMAP', problem: { kind: 'unknown-server' } },
  { text: 'imap', kind: 'diagnose', hs: 'IMAP' },
  { text: 'is imap broken?', kind: 'diagnose', hs: 'IMAP' },
  { text: 'good morning team', kind: 'unknown' },
  { text: 'thanks!', kind: 'unknown' },
  { text: 'lol', kind: 'unknown' },
  // German.
  { text: 'Was ist mit IMAP auf SERVER1 los?', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1', locale: 'de' },
  { text: 'IMAP auf server1 kaputt', kind: 'diagnose', hs: 'IMAP', server: 'SERVER1', locale: 'de' },
  { text: 'prüfe imap auf server2', kind: 'diagnose', hs: 'IMAP', server: 'SERVER2', locale: 'de' },
  { text: 'pruefe ECP auf server1 bitte', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER1', locale: 'de' },
  { text: 'Ist ECP auf server1 in Ordnung?', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER1', locale: 'de' },
  { text: 'funktioniert IMAP auf mbx1 nicht?', kind: 'diagnose', hs: 'IMAP', server: 'MBX1', locale: 'de' },
  { text: 'IMAP-Proxy auf server2 gestört', kind: 'diagnose', hs: 'IMAP.Proxy', server: 'SERVER2', locale: 'de' },
  { text: 'und auf server2?', kind: 'diagnose', server: 'SERVER2', followUp: true, locale: 'de' },
  { text: 'hilfe', kind: 'help', locale: 'de' },
  { text: 'was kannst du?', kind: 'help', locale: 'de' },
  { text: 'nochmal', kind: 'rerun', locale: 'de' },
  { text: 'bitte erneut prüfen', kind: 'rerun', locale: 'de' },
  { text: 'abbrechen', kind: 'cancel', locale: 'de' },
  { text: 'wie ist der Stand?', kind: 'status', locale: 'de' },
  { text: 'Zustand', kind: 'status', locale: 'de' },
  {
    text: 'was ist mit IMPA auf server1 los',
    kind: 'diagnose',
    server: 'SERVER1',
    locale: 'de',
    problem: { kind: 'unknown-health-set', suggestion: 'IMAP' },
  },
  {
    text: 'IMAP auf server7',
    kind: 'diagnose',
    hs: 'IMAP',
    locale: 'de',
    problem: { kind: 'unknown-server', suggestion: 'SERVER1' },
  },
  { text: 'läuft ECP auf server2?', kind: 'diagnose', hs: 'ECP.Proxy', server: 'SERVER2', locale: 'de' },
];

export const CORPUS: readonly Case[] = [
  ...FIRST_CORPUS,
  ...HEALTH_SET_CORPUS,
  ...HEALTH_SET_CORPUS_DE,
  ...CORPUS_FR,
  ...CORPUS_ES,
  ...CORPUS_JA,
];
