/**
 * Reading the XML of one Windows event (EventLogRecord.ToXml()): the System header and the
 * event's own fields, from `<UserData><EventXML>` (Exchange's crimson channels) or from
 * `<EventData><Data Name="...">` (classic providers; unnamed Data elements become param1..n).
 * The schema is fixed and flat, so a small reader suffices; anything it cannot find is absent,
 * and the callers decide what is required.
 */
export interface EventRecord {
  readonly id?: number;
  readonly provider?: string;
  /** System/TimeCreated/@SystemTime as written (ISO 8601, UTC). */
  readonly timeCreated?: string;
  readonly channel?: string;
  /** Field name → text, entities decoded; empty elements are left out. */
  readonly fields: Readonly<Record<string, string>>;
  /** EventData's unnamed Data elements in order (Watson reports carry their parameters this way). */
  readonly strings: readonly string[];
}

const ENTITY: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXml(text: string): string {
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, body: string) => body.replace(/&/g, '&amp;'))
    .replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) =>
      e.startsWith('#x')
        ? String.fromCodePoint(parseInt(e.slice(2), 16))
        : e.startsWith('#')
          ? String.fromCodePoint(Number(e.slice(1)))
          : ENTITY[e]!,
    );
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*(?:'([^']*)'|"([^"]*)")`).exec(tag);
const attrValue = (tag: string, name: string) => {
  const m = attr(tag, name);
  return m ? decodeXml(m[1] ?? m[2] ?? '') : undefined;
};

export function readEventXml(xml: string): EventRecord | undefined {
  if (!/<Event[\s>]/.test(xml)) return undefined;
  const system = /<System>([\s\S]*?)<\/System>/.exec(xml)?.[1] ?? '';
  const providerTag = /<Provider\b[^>]*>/.exec(system)?.[0];
  const timeTag = /<TimeCreated\b[^>]*>/.exec(system)?.[0];
  const id = /<EventID\b[^>]*>\s*(\d+)\s*<\/EventID>/.exec(system)?.[1];
  const channel = /<Channel>([\s\S]*?)<\/Channel>/.exec(system)?.[1];
  const fields: Record<string, string> = {};
  const strings: string[] = [];
  const userData = /<EventXML\b[^>]*>([\s\S]*?)<\/EventXML>/.exec(xml)?.[1];
  if (userData !== undefined) {
    for (const m of userData.matchAll(/<([A-Za-z_][\w.-]*)\b[^>]*?(?:\/>|>([\s\S]*?)<\/\1>)/g)) {
      const value = decodeXml(m[2] ?? '').trim();
      if (value !== '') fields[m[1]!] = value;
    }
  }
  const eventData = /<EventData\b[^>]*>([\s\S]*?)<\/EventData>/.exec(xml)?.[1];
  if (eventData !== undefined) {
    for (const m of eventData.matchAll(/<Data\b([^>]*?)(?:\/>|>([\s\S]*?)<\/Data>)/g)) {
      const value = decodeXml(m[2] ?? '').trim();
      const name = attrValue(`<Data${m[1] ?? ''}>`, 'Name');
      if (name === undefined) strings.push(value);
      else if (value !== '') fields[name] = value;
    }
    strings.forEach((s, i) => {
      if (s !== '' && fields[`param${i + 1}`] === undefined) fields[`param${i + 1}`] = s;
    });
  }
  const provider = providerTag ? attrValue(providerTag, 'Name') : undefined;
  const timeCreated = timeTag ? attrValue(timeTag, 'SystemTime') : undefined;
  return {
    ...(id !== undefined ? { id: Number(id) } : {}),
    ...(provider ? { provider } : {}),
    ...(timeCreated ? { timeCreated } : {}),
    ...(channel ? { channel: decodeXml(channel) } : {}),
    fields,
    strings,
  };
}
