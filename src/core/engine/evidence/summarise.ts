/**
 * Evidence in the words a card needs: what Managed Availability did per action and resource, a
 * probe's recent runs as one verdict, and at most three lines of Windows events. Pure functions.
 */
import type { ProbeHistoryEntry, RecoveryAction, WindowsEvent, WindowsEventKind } from '../../model/evidence.ts';
import type { Operation } from '../../model/operations.ts';

export interface RecoveryGroup {
  readonly action: string;
  readonly resource?: string;
  /** Attempts that ran (throttled requests did not). */
  readonly ran: number;
  readonly firstAt: string;
  /** When the last successful one ended. */
  readonly lastSucceededAt?: string;
  /** The last attempt failed (not throttled): its exception. */
  readonly lastFailure?: string;
  /** The newest request was refused by the throttle: Managed Availability has stopped trying. */
  readonly throttled: boolean;
}

/** Actions that restart a whole server: flagged in red on the card. */
export const REBOOT_ACTIONS = new Set(['forcereboot', 'bugcheck', 'restartserver', 'forcedreboot']);

export function isReboot(action: string): boolean {
  return REBOOT_ACTIONS.has(action.toLowerCase());
}

export function recoveryGroups(actions: readonly RecoveryAction[]): RecoveryGroup[] {
  const groups = new Map<string, RecoveryAction[]>();
  for (const a of [...actions].sort((x, y) => x.startedAt.localeCompare(y.startedAt))) {
    const key = `${a.action.toLowerCase()}|${(a.resource ?? '').toLowerCase()}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()].map((list) => {
    const ran = list.filter((a) => !a.throttled);
    const succeeded = ran.filter((a) => a.result?.toLowerCase() === 'succeeded');
    const newest = list.at(-1)!;
    const lastRan = ran.at(-1);
    const lastEnd = succeeded.at(-1);
    return {
      action: newest.action,
      ...(newest.resource ? { resource: newest.resource } : {}),
      ran: ran.length,
      firstAt: list[0]!.startedAt,
      ...(lastEnd ? { lastSucceededAt: lastEnd.endedAt ?? lastEnd.startedAt } : {}),
      ...(lastRan && lastRan.result?.toLowerCase() === 'failed' ? { lastFailure: lastRan.exception ?? 'Failed' } : {}),
      throttled: newest.throttled,
    };
  });
}

/**
 * The recovery action Managed Availability took that a ladder step would repeat: the same kind of
 * operation on the same service, app pool or server. Only actions read on the step's own server count.
 */
export function alreadyTried(
  actions: readonly RecoveryAction[],
  server: string,
  op: Operation | undefined,
): RecoveryGroup | undefined {
  if (!op || op.server.toLowerCase() !== server.toLowerCase()) return undefined;
  const matches = (a: RecoveryAction): boolean => {
    const action = a.action.toLowerCase();
    const resource = (a.resource ?? '').toLowerCase();
    switch (op.kind) {
      case 'restart-service':
        return action === 'restartservice' && resource === op.service.toLowerCase();
      case 'recycle-app-pool':
        return /^(recycle|reset).*(apppool|applicationpool)$/.test(action) && resource === op.appPool.toLowerCase();
      case 'iis-reset':
        return /^(reset|restart)iis$/.test(action);
      case 'restart-server':
        return isReboot(a.action);
      default:
        return false;
    }
  };
  const mine = actions.filter(matches);
  return mine.length > 0 && mine.some((a) => !a.throttled) ? recoveryGroups(mine)[0] : undefined;
}

export type HistoryVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'failing-all'; readonly failed: number; readonly total: number; readonly since: string }
  | { readonly kind: 'passing-all'; readonly total: number; readonly since: string }
  | { readonly kind: 'passing-since'; readonly since: string; readonly failed: number; readonly total: number }
  | { readonly kind: 'failing-since'; readonly since: string; readonly failed: number; readonly total: number }
  | { readonly kind: 'flapping'; readonly failed: number; readonly total: number; readonly since: string };

/** The runs as one verdict: all failed, all passed, turned once (passing or failing since), or flapping. */
export function historyVerdict(entries: readonly ProbeHistoryEntry[]): HistoryVerdict {
  const runs = [...entries].sort((a, b) => a.at.localeCompare(b.at));
  if (runs.length === 0) return { kind: 'none' };
  const ok = runs.map((r) => r.resultType === 'Succeeded');
  const failed = ok.filter((x) => !x).length;
  const total = runs.length;
  const since = runs[0]!.at;
  if (failed === total) return { kind: 'failing-all', failed, total, since };
  if (failed === 0) return { kind: 'passing-all', total, since };
  const turns = ok.slice(1).filter((x, i) => x !== ok[i]).length;
  const turnedAt = runs[ok.findIndex((x, i) => i > 0 && x !== ok[i - 1])]!.at;
  if (turns === 1)
    return ok.at(-1)
      ? { kind: 'passing-since', since: turnedAt, failed, total }
      : { kind: 'failing-since', since: turnedAt, failed, total };
  return { kind: 'flapping', failed, total, since };
}

/** The distinct errors of the failed runs, most recent first. */
export function distinctErrors(entries: readonly ProbeHistoryEntry[], max = 3): string[] {
  const seen: string[] = [];
  for (const e of [...entries].sort((a, b) => b.at.localeCompare(a.at))) {
    if (e.resultType === 'Succeeded' || !e.error) continue;
    if (!seen.includes(e.error)) seen.push(e.error);
  }
  return seen.slice(0, max);
}

export interface WindowsLine {
  readonly kind: WindowsEventKind;
  /** What the events are about (services, app pools, processes, users), distinct, first ones. */
  readonly subjects: readonly string[];
  readonly count: number;
  readonly lastAt: string;
  readonly detail?: string;
}

/** The order a person reads them in: a server that went down first, then who restarted it, then crashes. */
const WINDOWS_ORDER: readonly WindowsEventKind[] = [
  'unexpected-shutdown',
  'restart-by',
  'service-crash',
  'app-pool-failure',
  'watson',
];

/** At most `max` lines, one per kind of event, in WINDOWS_ORDER. */
export function windowsLines(events: readonly WindowsEvent[], max = 3): WindowsLine[] {
  const lines: WindowsLine[] = [];
  for (const kind of WINDOWS_ORDER) {
    const mine = events.filter((e) => e.kind === kind).sort((a, b) => a.at.localeCompare(b.at));
    if (mine.length === 0) continue;
    const last = mine.at(-1)!;
    const subjects = [...new Set(mine.map((e) => e.subject).filter((s): s is string => Boolean(s)))].slice(0, 3);
    lines.push({
      kind,
      subjects,
      count: mine.length,
      lastAt: last.at,
      ...(last.detail ? { detail: last.detail } : {}),
    });
  }
  return lines.slice(0, max);
}
