/**
 * Reading single values out of Exchange's JSON, tolerant of what varies between builds, versions
 * of PowerShell and the path an object took (a remote session turns enums into names, PowerShell
 * 5.1 writes dates as /Date(ms)/, PowerShell 7 as ISO text, a deserialised object may carry a
 * US-formatted string). Anything that cannot be read throws a `bad-output` GatewayError: a
 * guessed health state would be worse than saying we could not read it.
 */
import type { AlertValue, AppPoolStatus, CopyStatus, ProbeResultType, ServiceStatus } from '../../core/index.ts';
import { ALERT_VALUES, COPY_STATUSES, GatewayError, PROBE_RESULT_TYPES } from '../../core/index.ts';

export type Row = Readonly<Record<string, unknown>>;

export function badOutput(what: string, server?: string): GatewayError {
  return new GatewayError('bad-output', `could not read ${what}`, server ? { server } : {});
}

/** A single object where an array was expected is how ConvertTo-Json writes a one-item list. */
export function asArray(data: unknown): unknown[] {
  if (data === null || data === undefined) return [];
  return Array.isArray(data) ? data : [data];
}

export function asRow(value: unknown, what: string): Row {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badOutput(what);
  return value as Row;
}

/** The first of `names` present on the row, matched without regard to case. */
export function field(row: Row, ...names: string[]): unknown {
  for (const name of names) {
    if (row[name] !== undefined && row[name] !== null) return row[name];
    const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined && row[key] !== undefined && row[key] !== null) return row[key];
  }
  return undefined;
}

export function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  if (value === 0 || value === 1) return value === 1;
  return undefined;
}

export function integer(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?$/i;
const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * An instant as ISO 8601 UTC. Text without a zone (ISO or US format) is taken as UTC: the
 * scripts send UTC, and a server's local zone is not something we can know from here.
 */
export function instant(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const ms = MS_DATE.exec(s);
  // /Date(ms+0100)/ carries the writer's offset for display; the number is already UTC.
  if (ms) return new Date(Number(ms[1])).toISOString();
  const us = US_DATE.exec(s);
  if (us) {
    let hour = Number(us[4]);
    const pm = us[7]?.toUpperCase() === 'PM';
    if (us[7]) hour = (hour % 12) + (pm ? 12 : 0);
    const t = Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]), hour, Number(us[5]), Number(us[6] ?? 0));
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  const t = Date.parse(ISO_NO_ZONE.test(s) ? `${s}Z` : s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function byName<T extends string>(allowed: readonly T[], value: unknown): T | undefined {
  const s = text(value)?.trim().toLowerCase();
  return s === undefined ? undefined : allowed.find((a) => a.toLowerCase() === s);
}

export function alertValue(value: unknown): AlertValue | undefined {
  return byName(ALERT_VALUES, value);
}

/** ResultType as a name, or as the number the event log and some builds use (1 = Timeout ... 6 = Rejected). */
export function probeResultType(value: unknown): ProbeResultType | undefined {
  const n = integer(value);
  if (n !== undefined) return n >= 1 && n <= PROBE_RESULT_TYPES.length ? PROBE_RESULT_TYPES[n - 1] : undefined;
  return byName(PROBE_RESULT_TYPES, value);
}

/** ServiceControllerStatus names, or its numbers 1..7. The two "pending" states we do not model read as Unknown. */
export function serviceStatus(value: unknown): ServiceStatus | undefined {
  const names: Record<string, ServiceStatus> = {
    stopped: 'Stopped',
    startpending: 'StartPending',
    stoppending: 'StopPending',
    running: 'Running',
    continuepending: 'Unknown',
    pausepending: 'Unknown',
    paused: 'Paused',
  };
  const n = integer(value);
  if (n !== undefined) return n >= 1 && n <= 7 ? Object.values(names)[n - 1] : undefined;
  const s = text(value)?.trim().toLowerCase();
  return s === undefined ? undefined : names[s];
}

/** WebAdministration's state names, or Microsoft.Web.Administration's ObjectState numbers 0..4. */
export function appPoolStatus(value: unknown): AppPoolStatus | undefined {
  const order: AppPoolStatus[] = ['Starting', 'Started', 'Stopping', 'Stopped', 'Unknown'];
  const n = integer(value);
  if (n !== undefined) return order[n];
  return byName(order, value);
}

export function copyStatus(value: unknown): CopyStatus | undefined {
  return byName(COPY_STATUSES, value);
}
