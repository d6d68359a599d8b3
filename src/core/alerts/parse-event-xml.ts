/**
 * Events of the `Microsoft-Exchange-ManagedAvailability/Monitoring` channel as Event Viewer or
 * `wevtutil qe /f:xml` export them: event 4 when the escalate responder fired (raised), event 1
 * when the health set is healthy again (cleared). The System part names the computer and the time;
 * the EventXML user data names the health set and the monitor (the spellings differ between
 * builds, so the usual ones are all read). A small reader: the exported XML has a fixed shape and
 * the core takes no XML library.
 */
import type { Alert, AlertParse, AlertState } from './alert.ts';
import { isoTime, keepText, parsed, shortServerName, unparseable } from './alert.ts';
import { healthSetFromTitle, monitorFromText, monitorName } from './parse-json.ts';

const MONITORING_CHANNEL = 'Microsoft-Exchange-ManagedAvailability/Monitoring';
const STATES: Readonly<Record<string, AlertState>> = { '4': 'raised', '1': 'cleared' };

function decode(value: string): string {
  return value
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text of the first element named one of `names` (any namespace prefix). */
function element(xml: string, ...names: string[]): string | undefined {
  for (const name of names) {
    const m = new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>`).exec(xml);
    const value = m?.[1] !== undefined ? decode(m[1]).trim() : undefined;
    if (value) return value;
  }
  return undefined;
}

/** `<Data Name="HealthSet">IMAP</Data>` (EventData instead of UserData). */
function dataNamed(xml: string, name: string): string | undefined {
  const m = new RegExp(`<Data\\s+Name=["']${name}["']\\s*>([\\s\\S]*?)</Data>`, 'i').exec(xml);
  return m?.[1] ? decode(m[1]).trim() || undefined : undefined;
}

function attribute(xml: string, tag: string, attr: string): string | undefined {
  return new RegExp(`<${tag}\\s[^>]*${attr}=["']([^"']+)["']`).exec(xml)?.[1];
}

export function looksLikeEventXml(input: string): boolean {
  return /<Event[\s>]/.test(input) && /<EventID[\s>]/.test(input);
}

export function parseEventXml(input: string, now: Date): AlertParse {
  const events = [...input.matchAll(/<Event[\s>][\s\S]*?<\/Event>/g)].map((m) => m[0]);
  if (events.length === 0) return unparseable('no <Event> element in the XML');
  const alerts: Alert[] = [];
  const skipped: string[] = [];
  for (const xml of events) {
    const id = element(xml, 'EventID');
    const channel = element(xml, 'Channel');
    const state = id ? STATES[id] : undefined;
    if (!state || (channel && channel !== MONITORING_CHANNEL)) {
      skipped.push(`event ${id ?? '?'} of ${channel ?? 'an unnamed channel'}`);
      continue;
    }
    const computer = element(xml, 'Computer');
    const subject = element(xml, 'Subject') ?? dataNamed(xml, 'Subject');
    const message = element(xml, 'Message') ?? dataNamed(xml, 'Message');
    const healthSet =
      element(xml, 'HealthSet', 'HealthSetName') ??
      dataNamed(xml, 'HealthSet') ??
      healthSetFromTitle(subject ?? '') ??
      healthSetFromTitle(message ?? '');
    if (!computer) return unparseable(`event ${id} names no computer`);
    if (!healthSet) return unparseable(`event ${id} on ${computer} names no health set`);
    const monitor = monitorName(
      element(xml, 'MonitorName', 'Monitor') ??
        dataNamed(xml, 'Monitor') ??
        monitorFromText(`${subject ?? ''} ${message ?? ''}`),
    );
    const record = element(xml, 'EventRecordID');
    alerts.push({
      server: shortServerName(computer),
      healthSet,
      ...(monitor ? { monitor } : {}),
      state,
      at: isoTime(attribute(xml, 'TimeCreated', 'SystemTime'), now),
      source: 'event-log',
      text: keepText([subject, message].filter(Boolean).join('\n') || `event ${id}: ${healthSet} on ${computer}`),
      ...(record ? { deliveryId: `event:${shortServerName(computer)}:${record}` } : {}),
    });
  }
  if (alerts.length === 0)
    return unparseable(`no Managed Availability event 4 or 1 in the XML (found ${skipped.join(', ')})`);
  return parsed(alerts);
}
