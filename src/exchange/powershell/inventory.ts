/**
 * The organisation's servers as Get-ExchangeServer reports them, cached. Every operation's server
 * is resolved here first: a name that is not a plausible host name is refused without loading
 * anything, and a name that is not in the inventory is refused before any script runs for it.
 */
import type { ServerInfo } from '../../core/index.ts';
import { GatewayError } from '../../core/index.ts';

/** NetBIOS names and FQDNs: letters, digits, hyphens and dots. Nothing else can be a server. */
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*$/;

export interface InventoryOptions {
  readonly load: () => Promise<ServerInfo[]>;
  /** How long a loaded inventory is used before it is read again. */
  readonly ttlMs: number;
  readonly now?: () => number;
  readonly onStale?: (error: unknown) => void;
}

export class Inventory {
  private cached: { readonly servers: readonly ServerInfo[]; readonly at: number } | undefined;
  private loading: Promise<readonly ServerInfo[]> | undefined;

  constructor(private readonly options: InventoryOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async list(): Promise<readonly ServerInfo[]> {
    const cached = this.cached;
    if (cached && this.now() - cached.at < this.options.ttlMs) return cached.servers;
    // Concurrent callers share one load.
    this.loading ??= this.options
      .load()
      .then((servers) => {
        if (servers.length === 0)
          throw new GatewayError('bad-output', 'Get-ExchangeServer returned no Mailbox or Client Access server');
        this.cached = { servers, at: this.now() };
        return servers as readonly ServerInfo[];
      })
      .finally(() => {
        this.loading = undefined;
      });
    try {
      return await this.loading;
    } catch (err) {
      // An inventory a little old is better than none while Exchange has a bad moment.
      if (cached) {
        this.options.onStale?.(err);
        return cached.servers;
      }
      throw err;
    }
  }

  /** The server `name` (short name or FQDN, any case) stands for; GatewayError `unknown-server` otherwise. */
  async resolve(name: string): Promise<ServerInfo> {
    const label = String(name).slice(0, 80);
    const unknown = () =>
      new GatewayError('unknown-server', `${label} is not a server of this Exchange organisation`, { server: label });
    if (typeof name !== 'string' || name.length > 255 || !HOST_NAME.test(name)) throw unknown();
    const n = name.toLowerCase();
    const server = (await this.list()).find((s) => s.name.toLowerCase() === n || s.fqdn.toLowerCase() === n);
    if (!server) throw unknown();
    return server;
  }
}
