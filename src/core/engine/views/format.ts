/** Small formatting helpers shared by the views. */
import type { ProbeResult } from '../../model/exchange.ts';

/**
 * Formatters are made once per locale and time zone: constructing one costs about 40 µs, using a
 * made one about 1 µs, and a burst of cards formats thousands of times. The key space is small
 * (the bot's languages × its one time zone); the bound only guards against a caller that varies it.
 */
function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= 64) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}
const clockFormats = new Map<string, Intl.DateTimeFormat>();
const secondFormats = new Map<string, Intl.NumberFormat>();

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * `14:05` in the configured time zone; times on cards are for humans, not for parsing. The zone is
 * said once per card (`clockZone`, in its footer), not after every time. With `today` (the card's
 * own moment), a time on another day carries its date: `23 Nov, 14:05`.
 */
export function clockTime(iso: string | undefined, timeZone: string, locale: string, today?: string | Date): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const format = cached(
    clockFormats,
    `${locale}\u0000${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }),
  );
  const time = format.format(date);
  const reference = today === undefined ? undefined : new Date(today);
  if (!reference || Number.isNaN(reference.getTime())) return time;
  const day = cached(
    dayFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }),
  );
  if (day.format(date) === day.format(reference)) return time;
  const dateText = cached(
    dateFormats,
    `${locale}\u0000${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone }),
  ).format(date);
  return `${dateText}, ${time}`;
}

/** The time zone the card's times are in, said once per card: `UTC`, or the configured zone's name. */
export function clockZone(timeZone: string): string {
  return timeZone;
}

export function seconds(ms: number, locale: string): string {
  return cached(
    secondFormats,
    locale,
    () => new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 }),
  ).format(ms / 1000);
}

/** The first lines of a probe's error and exception: enough to recognise it, short enough for a card. */
export function probeExcerpt(result: ProbeResult, maxChars = 600): string | undefined {
  const parts: string[] = [];
  if (result.error) parts.push(firstLines(result.error, 4));
  if (result.exception) parts.push(firstLines(result.exception, 3));
  const text = parts.join('\n').trim();
  if (!text) return undefined;
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

function firstLines(text: string, n: number): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  return lines.slice(0, n).join('\n') + (lines.length > n ? '\n…' : '');
}
