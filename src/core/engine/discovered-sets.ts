/**
 * The health sets and monitoring items the organisation's servers report, learnt with
 * get-monitoring-items (Get-HealthReport and Get-MonitoringItemIdentity) and kept for a while.
 * Exchange 2016, 2019 and Subscription Edition have sets that no runbook and no 2013 article
 * names; this is how the bot knows them, and how it knows what a pasted monitor or probe name
 * belongs to.
 *
 * Refreshed on a schedule by the injected clock (the engine's tick asks `refreshIfDue`): no timer
 * of its own. One refresh at a time; callers during a refresh share it. A server that cannot be
 * read keeps what an earlier refresh learnt about it, and is listed as unreadable.
 */
import { HealthbotError } from '../errors.ts';
import type { MonitoringItem } from '../model/monitoring-items.ts';
import type { Clock } from '../ports/clock.ts';
import type { ExchangeGateway } from '../ports/gateway.ts';

export interface DiscoveredSet {
  readonly name: string;
  /** The servers that report it, by inventory name. */
  readonly servers: readonly string[];
}

export type DiscoveredItem = Pick<MonitoringItem, 'healthSet' | 'name' | 'itemType'>;

export interface Discovered {
  /** ISO time of the last refresh that finished; absent before the first one. */
  readonly at?: string;
  readonly healthSets: readonly DiscoveredSet[];
  readonly items: readonly DiscoveredItem[];
  /** Servers the last refresh could not read, with the reason's code. */
  readonly unreadable: readonly { readonly server: string; readonly code: string }[];
}

export interface HealthSetDiscovery {
  /** What is known now; never waits and never reads Exchange. */
  current(): Discovered;
  /** The health sets `server` reported, or undefined when it has not been read. */
  reportedOn(server: string): readonly string[] | undefined;
  /** Reads every server again. Concurrent callers share one refresh. */
  refresh(): Promise<Discovered>;
  /** Refreshes when nothing is known yet or the last refresh is older than the interval. */
  refreshIfDue(): Promise<Discovered>;
}

export interface DiscoveryOptions {
  readonly gateway: ExchangeGateway;
  readonly clock: Clock;
  /** How often the sets are read again (default one hour): health sets change with updates, not by the minute. */
  readonly refreshMs?: number;
  /** Time limit of one server's read (default two minutes: one Get-MonitoringItemIdentity per set). */
  readonly timeoutMs?: number;
  readonly onError?: (server: string, err: unknown) => void;
}

const EMPTY: Discovered = { healthSets: [], items: [], unreadable: [] };

export function createDiscovery(options: DiscoveryOptions): HealthSetDiscovery {
  const refreshMs = options.refreshMs ?? 60 * 60_000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  // Per server: what it reported last time it could be read.
  const perServer = new Map<string, { healthSets: readonly string[]; items: readonly DiscoveredItem[] }>();
  let known: Discovered = EMPTY;
  let lastAt: number | undefined;
  let running: Promise<Discovered> | undefined;

  function combine(unreadable: Discovered['unreadable'], at: Date): Discovered {
    const sets = new Map<string, { name: string; servers: string[] }>();
    const items = new Map<string, DiscoveredItem>();
    for (const [server, r] of perServer) {
      for (const name of r.healthSets) {
        const entry = sets.get(name.toLowerCase()) ?? { name, servers: [] };
        entry.servers.push(server);
        sets.set(name.toLowerCase(), entry);
      }
      for (const i of r.items)
        items.set(`${i.healthSet}\\${i.name}`.toLowerCase(), {
          healthSet: i.healthSet,
          name: i.name,
          itemType: i.itemType,
        });
    }
    return { at: at.toISOString(), healthSets: [...sets.values()], items: [...items.values()], unreadable };
  }

  async function readAll(): Promise<Discovered> {
    const servers = await options.gateway.listServers();
    const unreadable: { server: string; code: string }[] = [];
    await Promise.all(
      servers.map(async (s) => {
        try {
          const r = await options.gateway.run({ kind: 'get-monitoring-items', server: s.name }, { timeoutMs });
          perServer.set(s.name, {
            healthSets: r.healthSets,
            items: r.items.map((i) => ({ healthSet: i.healthSet, name: i.name, itemType: i.itemType })),
          });
        } catch (err) {
          unreadable.push({ server: s.name, code: err instanceof HealthbotError ? err.code : 'failed' });
          options.onError?.(s.name, err);
        }
      }),
    );
    // Servers that left the organisation are forgotten.
    for (const name of [...perServer.keys()]) if (!servers.some((s) => s.name === name)) perServer.delete(name);
    const now = options.clock.now();
    lastAt = now.getTime();
    known = combine(unreadable, now);
    return known;
  }

  const refresh = (): Promise<Discovered> => {
    running ??= readAll().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    current: () => known,
    reportedOn: (server) => perServer.get(server)?.healthSets,
    refresh,
    refreshIfDue() {
      const due = lastAt === undefined || options.clock.now().getTime() - lastAt >= refreshMs;
      return due ? refresh() : (running ?? Promise.resolve(known));
    },
  };
}
