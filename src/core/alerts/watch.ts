/**
 * Watch mode: the bot reads Get-ServerHealth for every server on an interval and raises and clears
 * alerts itself, for organisations without a monitoring system. One replica watches at a time: it
 * holds a lease in the store, renewed every cycle, and another replica takes over once the lease
 * runs out (its holder died). A new holder picks up the problems the watch had raised, so it can
 * clear them.
 *
 * Why Get-ServerHealth and not the Monitoring channel's events 4 and 1: one read per server per
 * cycle works the same against the lab and real Exchange (through the remote session the bot
 * already holds, with no WinRM event-log rights or cursor per server), it sees a problem that was
 * already there when the bot started, and a missed event cannot leave a problem open for ever.
 * Events still come in through the webhook (exported XML, SCOM) for those who have them.
 */
import type { AlertValue, MonitorHealth, ServerInfo } from '../model/exchange.ts';
import type { EngineContext } from '../engine/context.ts';
import type { Alert } from './alert.ts';
import type { SetState } from './debounce.ts';
import { observe } from './debounce.ts';
import type { AlertRecord } from './record.ts';
import { OPEN_PREFIX } from './record.ts';

export const WATCH_LEASE_KEY = 'alerts:watch-lease';

export interface WatchSettings {
  readonly intervalMs: number;
  /** A fraction of the interval added or taken at random, so replicas and servers do not beat in step. */
  readonly jitter: number;
  /** Servers read at once (the PowerShell pool's per-server limit still applies per server). */
  readonly concurrency: number;
  /** Readings in a row before a change counts. */
  readonly samples: number;
  /** How long a read of one server may take. */
  readonly readTimeoutMs: number;
}

export const DEFAULT_WATCH: WatchSettings = {
  intervalMs: 120_000,
  jitter: 0.1,
  concurrency: 4,
  samples: 2,
  readTimeoutMs: 60_000,
};

export interface WatchCycle {
  /** False when another replica holds the lease: this one read nothing. */
  readonly watching: boolean;
  readonly servers: number;
  readonly unreadable: readonly string[];
  readonly raised: number;
  readonly cleared: number;
}

export interface Watcher {
  /** One cycle: take or renew the lease, read every server, emit what changed. */
  cycle(): Promise<WatchCycle>;
  /** Cycles until `stop`, waiting a jittered interval of the injected clock between them. */
  start(): void;
  stop(): Promise<void>;
}

export interface WatcherDeps {
  readonly ctx: EngineContext;
  readonly emit: (alerts: readonly Alert[]) => Promise<unknown>;
  readonly settings?: Partial<WatchSettings>;
  readonly random?: () => number;
  readonly locale?: string;
}

const UNHEALTHY: readonly AlertValue[] = ['Unhealthy'];

/** The wait before the next cycle: the interval, give or take `jitter` of it. */
export function nextDelay(settings: Pick<WatchSettings, 'intervalMs' | 'jitter'>, random: () => number): number {
  return Math.round(settings.intervalMs * (1 + settings.jitter * (2 * random() - 1)));
}

/** Runs `work` over `items` with at most `limit` at once. */
async function pooled<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

export function createWatcher(deps: WatcherDeps): Watcher {
  const { ctx } = deps;
  const settings: WatchSettings = { ...DEFAULT_WATCH, ...deps.settings };
  const random = deps.random ?? Math.random;
  const t = ctx.t(deps.locale ?? 'en');
  const states = new Map<string, SetState>();
  let holding = false;
  let stopped = true;

  async function takeLease(): Promise<boolean> {
    const now = ctx.clock.now();
    const current = await ctx.store.getValue<{ owner: string; until: string }>(WATCH_LEASE_KEY);
    const free = !current || current.owner === ctx.instanceId || new Date(current.until).getTime() <= now.getTime();
    // Three intervals: a holder that misses two cycles is taken for dead.
    const next = { owner: ctx.instanceId, until: new Date(now.getTime() + 3 * settings.intervalMs).toISOString() };
    const won = free && (await ctx.store.swapValue(WATCH_LEASE_KEY, current, next));
    if (won && !holding) await adoptOpenProblems();
    holding = won;
    return won;
  }

  /** Problems the watch raised before (this process or a dead holder) and that are still open. */
  async function adoptOpenProblems(): Promise<void> {
    states.clear();
    const open = await ctx.store.listValues<AlertRecord>(OPEN_PREFIX, 10_000);
    for (const { value } of open) {
      if (value.open && value.source === 'watch')
        states.set(`${value.server}\u0000${value.healthSet}`, { raised: true, streak: 0, seen: 'unhealthy' });
    }
  }

  function alertFor(
    server: ServerInfo,
    healthSet: string,
    rows: readonly MonitorHealth[],
    state: 'raised' | 'cleared',
  ): Alert {
    const failing = rows.find((r) => r.healthSet === healthSet && UNHEALTHY.includes(r.alertValue));
    const vars = { server: server.name, healthSet, monitor: failing?.monitor ?? '', samples: settings.samples };
    const text =
      t(
        state === 'raised' ? (failing ? 'alerts:watch.raised' : 'alerts:watch.raisedSet') : 'alerts:watch.cleared',
        vars,
      ) + (failing?.error ? `\n${failing.error}` : '');
    return {
      server: server.name,
      healthSet,
      ...(failing ? { monitor: failing.monitor } : {}),
      state,
      at: ctx.clock.now().toISOString(),
      source: 'watch',
      text,
    };
  }

  async function cycle(): Promise<WatchCycle> {
    if (!(await takeLease())) return { watching: false, servers: 0, unreadable: [], raised: 0, cleared: 0 };
    const servers = await ctx.servers();
    const unreadable: string[] = [];
    const alerts: Alert[] = [];
    await pooled(servers, settings.concurrency, async (server) => {
      let rows: readonly MonitorHealth[];
      try {
        rows = await ctx.gateway.run(
          { kind: 'get-server-health', server: server.name },
          { timeoutMs: settings.readTimeoutMs },
        );
      } catch (err) {
        // Unreadable is not healthy: nothing changes for this server until it can be read again.
        unreadable.push(server.name);
        ctx.observer.error?.('watch-read', err);
        return;
      }
      // An empty answer says nothing about any health set: never a reason to clear one.
      if (rows.length === 0) {
        unreadable.push(server.name);
        return;
      }
      const sets = new Map<string, boolean>();
      for (const row of rows)
        sets.set(row.healthSet, (sets.get(row.healthSet) ?? false) || UNHEALTHY.includes(row.alertValue));
      for (const [healthSet, unhealthy] of sets) {
        const key = `${server.name}\u0000${healthSet}`;
        const { state, change } = observe(states.get(key), unhealthy ? 'unhealthy' : 'healthy', settings.samples);
        states.set(key, state);
        if (change) alerts.push(alertFor(server, healthSet, rows, change === 'raise' ? 'raised' : 'cleared'));
      }
    });
    if (alerts.length > 0) await deps.emit(alerts);
    return {
      watching: true,
      servers: servers.length,
      unreadable,
      raised: alerts.filter((a) => a.state === 'raised').length,
      cleared: alerts.filter((a) => a.state === 'cleared').length,
    };
  }

  return {
    cycle,
    start() {
      if (!stopped) return;
      stopped = false;
      // The loop ends after its current wait once stopped; the lease is handed back at once.
      void (async () => {
        while (!stopped) {
          await cycle().catch((err: unknown) => ctx.observer.error?.('watch', err));
          if (stopped) break;
          await ctx.clock.sleep(nextDelay(settings, random));
        }
      })();
    },
    async stop() {
      stopped = true;
      // Let go of the lease at once, so another replica need not wait for it to run out.
      const current = await ctx.store.getValue<{ owner: string }>(WATCH_LEASE_KEY).catch(() => undefined);
      if (holding && current?.owner === ctx.instanceId)
        await ctx.store.swapValue(WATCH_LEASE_KEY, current, undefined).catch(() => undefined);
      holding = false;
    },
  };
}
