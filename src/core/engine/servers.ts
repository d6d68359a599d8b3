import type { ServerInfo } from '../model/exchange.ts';

/** Finds a server by short name or FQDN, ignoring case. */
export function findServer(servers: readonly ServerInfo[], name: string): ServerInfo | undefined {
  const n = name.toLowerCase();
  return servers.find((s) => s.name.toLowerCase() === n || s.fqdn.toLowerCase() === n);
}
