/**
 * The back end's health, read while the probes run. An end-to-end probe's error names the Mailbox
 * server that served it, and that server's Get-ServerHealth decides what is offered; reading it
 * only after the probe answered put a second round trip on the diagnosis's critical path. Here the
 * likely back ends (the servers whose roles run the health sets the probe's back end is checked
 * on, nearest first) are read as soon as the probes start, and the one the error names is taken
 * from those reads. A back end outside them is read when named, as before.
 *
 * Reads are shared for a few seconds per gateway, so a burst of questions about one server does
 * not read its back ends once per question. A check after a recovery step reads afresh: it is
 * there to see a change.
 */
import type { GatewayError } from '../errors.ts';
import type { MonitorHealth, ServerInfo } from '../model/exchange.ts';
import type { ExchangeGateway } from '../ports/gateway.ts';
import type { Catalogue } from './catalogue.ts';

export type BackendRead = readonly MonitorHealth[] | GatewayError;

/** How long one back end's read is shared; Get-ServerHealth itself moves on a scale of minutes. */
const SHARED_FOR_MS = 5_000;
/** At most this many back ends are read ahead of the probe's answer. */
const MAX_PREFETCH = 4;

const shared = new WeakMap<ExchangeGateway, Map<string, { at: number; read: Promise<BackendRead> }>>();

export interface BackendReader {
  /** The named back end's health: the read already under way when it was a likely one. */
  read(server: string, healthSets: readonly string[]): Promise<BackendRead>;
}

export interface BackendPrefetchDeps {
  readonly gateway: ExchangeGateway;
  readonly catalogue: Catalogue;
  readonly servers: readonly ServerInfo[];
  /** Milliseconds now (the engine's clock); the shared reads expire by it. */
  readonly now?: () => number;
}

export function prefetchBackends(
  deps: BackendPrefetchDeps,
  server: ServerInfo,
  backends: readonly { readonly healthSets: readonly string[] }[],
  toError: (err: unknown) => GatewayError,
  options: { readonly fresh?: boolean } = {},
): BackendReader {
  const now = deps.now ?? (() => Date.now());
  let cache = shared.get(deps.gateway);
  if (!cache) shared.set(deps.gateway, (cache = new Map()));
  const local = new Map<string, Promise<BackendRead>>();

  const read = (name: string, healthSets: readonly string[]): Promise<BackendRead> => {
    const key = `${name.toLowerCase()}|${healthSets.join(',')}`;
    const mine = local.get(key);
    if (mine) return mine;
    const hit = options.fresh ? undefined : cache.get(key);
    let promise: Promise<BackendRead>;
    if (hit && now() - hit.at < SHARED_FOR_MS) promise = hit.read;
    else {
      promise = deps.gateway
        .run({ kind: 'get-server-health', server: name, healthSets: [...healthSets] })
        .catch((err: unknown) => toError(err));
      const entry = { at: now(), read: promise };
      cache.set(key, entry);
      // A failed read is not shared: the next question tries again.
      void promise.then((r) => {
        if (!Array.isArray(r) && cache.get(key) === entry) cache.delete(key);
      });
    }
    local.set(key, promise);
    return promise;
  };

  for (const backend of backends) {
    const roles = new Set(
      backend.healthSets.flatMap(
        (hs) =>
          deps.catalogue.runbookFor(hs)?.healthSets.find((h) => h.name.toLowerCase() === hs.toLowerCase())?.roles ?? [],
      ),
    );
    const likely = deps.servers
      .filter((s) => s.name !== server.name && s.roles.some((r) => roles.has(r)))
      // The same site first: a client access server proxies to the Mailbox servers near it.
      .sort(
        (a, b) =>
          Number(b.site !== undefined && b.site === server.site) -
          Number(a.site !== undefined && a.site === server.site),
      );
    for (const s of likely.slice(0, MAX_PREFETCH)) void read(s.name, backend.healthSets);
  }
  return { read };
}
