/**
 * Calendar dates on cards (out of support since, an override's end), written as the locale writes
 * them and in the configured time zone, like the clock times in format.ts: 11 Apr 2023, 11.04.2023,
 * 2023/04/11. Formatters are cached per locale and time zone, as format.ts does for clock times.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}\u0000${timeZone}`;
  let format = dateFormats.get(key);
  if (format === undefined) {
    if (dateFormats.size >= 64) dateFormats.clear();
    format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/**
 * A date as the reader's locale writes it. A bare `YYYY-MM-DD` (a support end date) is a calendar
 * day, not an instant: it is shown as that day whatever the time zone. Anything unreadable is kept.
 */
export function calendarDate(value: string | undefined, timeZone: string, locale: string): string {
  if (!value) return '';
  const bareDay = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(bareDay ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return dateFormat(locale, bareDay ? 'UTC' : timeZone).format(date);
}
