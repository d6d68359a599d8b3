/**
 * What must hold before a Mailbox server restarts, read again right before it runs: no active
 * copy on it; no other DAG member blocked from activation or in maintenance; every database it has
 * a copy of keeps a copy elsewhere that could take over (Healthy, queues under the limits, content
 * index Healthy). A standalone server has nothing to fail over to: its restart is allowed, and the
 * card says its databases are offline meanwhile. Each refusal names the database, copy and figure.
 */
import type { DatabaseCopy, RestartReadiness } from '../model/exchange.ts';
import { ACTIVE_COPY_STATUSES } from '../model/exchange.ts';
import type { EngineContext } from './context.ts';
import { findServer } from './servers.ts';

export interface RestartLimits {
  /** Most logs a passive copy may still have to copy. */
  readonly copyQueue: number;
  /** Most logs a passive copy may still have to replay. */
  readonly replayQueue: number;
}

/** Our defaults, not Microsoft's: a copy further behind than this is not ready to take over at once. */
export const DEFAULT_RESTART_LIMITS: RestartLimits = { copyQueue: 10, replayQueue: 100 };

export type Blocked = { readonly key: string; readonly vars: Record<string, string | number> };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Why this copy could not take over, or undefined when it could. */
function notReady(
  copy: DatabaseCopy,
  limits: RestartLimits,
): { key: string; vars: Record<string, string | number> } | undefined {
  if (copy.status !== 'Healthy') return { key: 'precondition.copyNotHealthy', vars: { status: copy.status } };
  if ((copy.copyQueueLength ?? 0) > limits.copyQueue)
    return {
      key: 'precondition.copyBehind',
      vars: { figure: 'CopyQueueLength', value: copy.copyQueueLength ?? 0, limit: limits.copyQueue },
    };
  if ((copy.replayQueueLength ?? 0) > limits.replayQueue)
    return {
      key: 'precondition.copyBehind',
      vars: { figure: 'ReplayQueueLength', value: copy.replayQueueLength ?? 0, limit: limits.replayQueue },
    };
  if (copy.contentIndexState !== undefined && copy.contentIndexState !== 'Healthy')
    return { key: 'precondition.copyIndex', vars: { state: copy.contentIndexState } };
  return undefined;
}

/** The DAG and copy conditions, from one reading. Pure, so each refusal is easy to test. */
export function readinessBlocker(r: RestartReadiness, limits: RestartLimits): Blocked | undefined {
  if (!r.dag) return undefined;
  for (const m of r.members) {
    const reason =
      m.serverWideOffline === 'Inactive'
        ? 'maintenance'
        : m.activationDisabledAndMoveNow || m.activationPolicy === 'Blocked'
          ? 'blocked'
          : undefined;
    if (reason)
      return { key: `precondition.member.${reason}`, vars: { server: r.server, member: m.server, dag: r.dag } };
  }
  const databases = [...new Set(r.copies.filter((c) => same(c.server, r.server)).map((c) => c.database))].sort();
  for (const database of databases) {
    const elsewhere = r.copies.filter((c) => c.database === database && !same(c.server, r.server));
    const passive = elsewhere.filter((c) => !ACTIVE_COPY_STATUSES.includes(c.status));
    const mounted = elsewhere.some((c) => c.status === 'Mounted');
    if (passive.length === 0) {
      // A two-copy database whose active copy is elsewhere stays mounted; with no copy elsewhere it goes offline.
      if (mounted) continue;
      return { key: 'precondition.noOtherCopy', vars: { server: r.server, database } };
    }
    if (passive.some((c) => !notReady(c, limits))) continue;
    // Name the copy closest to ready, with the figure that keeps it from taking over.
    const best = [...passive].sort((a, b) => (a.copyQueueLength ?? 0) - (b.copyQueueLength ?? 0))[0]!;
    const why = notReady(best, limits)!;
    return { key: why.key, vars: { ...why.vars, server: r.server, database, copy: best.server } };
  }
  return undefined;
}

/** Reads what a restart of `serverName` depends on and says what blocks it, if anything. */
export async function restartBlocker(ctx: EngineContext, serverName: string): Promise<Blocked | undefined> {
  const server = findServer(await ctx.servers(), serverName);
  if (!server?.roles.includes('Mailbox')) return undefined;
  const readiness = await ctx.gateway.run({ kind: 'get-restart-readiness', server: serverName });
  if (readiness.dag) {
    const copies = await ctx.gateway.run({ kind: 'get-database-copy-status', server: serverName });
    const active = copies.filter((c) => same(c.server, serverName) && ACTIVE_COPY_STATUSES.includes(c.status));
    if (active.length > 0) {
      return {
        key: 'precondition.mountedCopies',
        vars: { server: serverName, count: active.length, databases: active.map((c) => c.database).join(', ') },
      };
    }
  }
  return readinessBlocker(readiness, ctx.restartLimits);
}
