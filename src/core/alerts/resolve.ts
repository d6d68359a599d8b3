/**
 * An alert's names against what the bot knows: servers from the inventory, health sets from the
 * catalogue (their names and aliases). A name nobody knows stays as the alert gave it, marked
 * unknown: such an alert is shown, never run against anything.
 */
import type { KnownHealthSet } from '../engine/catalogue.ts';
import { findServer } from '../engine/servers.ts';
import type { ServerInfo } from '../model/exchange.ts';
import type { Alert } from './alert.ts';

export interface Resolved {
  readonly alert: Alert;
  readonly server?: ServerInfo;
  readonly known: { readonly server: boolean; readonly healthSet: boolean };
}

export function resolveAlert(
  alert: Alert,
  servers: readonly ServerInfo[],
  healthSets: readonly KnownHealthSet[],
): Resolved {
  const server = findServer(servers, alert.server);
  const lower = alert.healthSet.toLowerCase();
  const set =
    healthSets.find((h) => h.name.toLowerCase() === lower) ??
    healthSets.find((h) => h.aliases.some((a) => a.toLowerCase() === lower));
  return {
    alert: { ...alert, server: server?.name ?? alert.server, healthSet: set?.name ?? alert.healthSet },
    ...(server ? { server } : {}),
    known: { server: Boolean(server), healthSet: Boolean(set) },
  };
}

/** Settings that drop alerts before they open anything: servers or health sets someone chose to ignore. */
export interface IgnoreList {
  readonly servers: readonly string[];
  readonly healthSets: readonly string[];
}

export function ignored(alert: Alert, ignore: IgnoreList): boolean {
  const is = (list: readonly string[], name: string) => list.some((x) => x.toLowerCase() === name.toLowerCase());
  return is(ignore.servers, alert.server) || is(ignore.healthSets, alert.healthSet);
}
