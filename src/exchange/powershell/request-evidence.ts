/**
 * Values of the evidence reads: refused before any shell when they could widen a filter (a name
 * with characters Exchange does not use in item names, a window that is not a bounded number of
 * minutes), then turned into what the scripts receive.
 */
import type { Operation } from '../../core/index.ts';
import { GatewayError } from '../../core/index.ts';

/** ResultNames are `<Probe>` or `<Probe>/<TargetResource>`; monitor and health-set names have no slash. */
const RESULT_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,255}$/;
const ITEM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** At most a week: the channels keep more, and nothing on a card needs it. */
export const MAX_WINDOW_MINUTES = 7 * 24 * 60;
const MAX_NAMES = 32;
/** How many events one read returns at most. */
export const MAX_EVENTS = 200;

function refuse(what: string, server: string): never {
  throw new GatewayError('not-allowed', what, { server: server.slice(0, 80) });
}

function names(value: unknown, pattern: RegExp, what: string, server: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length > MAX_NAMES)
    refuse(`${what} must be a list of at most ${MAX_NAMES} names`, server);
  for (const name of value)
    if (typeof name !== 'string' || !pattern.test(name))
      refuse(`"${String(name).slice(0, 80)}" is not a monitoring item name`, server);
}

export function checkEvidenceValues(op: Operation): void {
  const server = String(op.server);
  if (op.kind === 'get-recovery-actions' || op.kind === 'get-probe-history' || op.kind === 'get-windows-events') {
    const minutes = op.sinceMinutes as unknown;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_WINDOW_MINUTES)
      refuse(`the window must be 1 to ${MAX_WINDOW_MINUTES} minutes`, server);
  }
  if (op.kind === 'get-probe-history') {
    names(op.resultNames, RESULT_NAME, 'resultNames', server);
    names(op.monitors, ITEM_NAME, 'monitors', server);
    if ((op.resultNames?.length ?? 0) + (op.monitors?.length ?? 0) === 0)
      refuse('a probe history read needs a ResultName or a monitor: the channel is never read unfiltered', server);
  }
  if (op.kind === 'get-monitoring-item-identity' && (typeof op.healthSet !== 'string' || !ITEM_NAME.test(op.healthSet)))
    refuse(`"${String(op.healthSet).slice(0, 80)}" is not a health set name`, server);
}

/** Values may come from stored JSON: only what checkEvidenceValues would pass keeps its shape. */
const list = (value: unknown): unknown[] => (Array.isArray(value) ? [...(value as unknown[])] : []);
const windowMs = (minutes: unknown): number =>
  typeof minutes === 'number' && Number.isInteger(minutes)
    ? Math.min(Math.max(minutes, 1), MAX_WINDOW_MINUTES) * 60_000
    : 60_000;

/** The script values of an evidence read, or undefined for any other operation. */
export function evidenceValues(
  op: Operation,
  base: { server: string; fqdn: string },
): Record<string, unknown> | undefined {
  switch (op.kind) {
    case 'get-recovery-actions':
    case 'get-windows-events':
      return { ...base, sinceMs: windowMs(op.sinceMinutes), maxEvents: MAX_EVENTS };
    case 'get-probe-history':
      return {
        ...base,
        resultNames: list(op.resultNames),
        monitors: list(op.monitors),
        sinceMs: windowMs(op.sinceMinutes),
        maxEvents: MAX_EVENTS,
      };
    case 'get-monitoring-item-identity':
      return { ...base, healthSet: op.healthSet };
    default:
      return undefined;
  }
}
