/**
 * The PowerShell gateway: the ExchangeGateway port against real Exchange, through a pool of pwsh
 * processes (node-powershell) with the Exchange remote session imported.
 *
 * Order of a call, and why:
 * 1. Typed values are checked without touching any shell: service and app-pool names against
 *    the allow-lists, health-set and probe names against a strict pattern, the server name
 *    against the host-name syntax (`not-allowed`, `unknown-server`).
 * 2. The server is resolved in the cached inventory (Get-ExchangeServer, a fixed script with no
 *    values); only the inventory's own spelling of it goes any further.
 * 3. A slot on that server (per-server limit), then a shell from the pool, each under the
 *    call's deadline.
 * 4. The operation's fixed script runs with its values as base64 JSON; the answer is parsed
 *    into the same model the lab returns.
 */
import type {
  ExchangeGateway,
  GatewayHealth,
  Operation,
  OperationKind,
  OperationOf,
  ResultOf,
  RunOptions,
} from '../../core/index.ts';
import { GatewayError, isGatewayOperation } from '../../core/index.ts';
import { callScript } from './call.ts';
import { openSession } from './session.ts';
import { Inventory } from './inventory.ts';
import { ServerLimiter } from './limiter.ts';
import { parseResult, parseServers } from './parse.ts';
import { canonical, checkValues, valuesFor } from './request.ts';
import type { PoolEvent, PoolStats } from './pool.ts';
import { ShellPool } from './pool.ts';
import type { PwshShell, ShellSpec } from './shell.ts';
import { checkExecutable } from './shell.ts';

export { NOT_INSTALLED, checkExecutable } from './shell.ts';

export interface ExchangeEndpoint {
  readonly server: string;
  /** http://<fqdn>/PowerShell/ (Kerberos) or https://<fqdn>/PowerShell/ (Basic). */
  readonly uri: string;
}

export interface PowerShellGatewayOptions {
  /** pwsh, or a path to it. */
  readonly executable: string;
  readonly endpoints: readonly ExchangeEndpoint[];
  readonly authentication: 'Kerberos' | 'Basic';
  /** WinRM to the servers' OS (services, IIS, restarts); by default Kerberos, or Negotiate when `authentication` is Basic. Never Basic. */
  readonly remotingAuthentication?: 'Kerberos' | 'Negotiate';
  /** The Exchange session's server-side idle timeout (New-PSSessionOption), 15 minutes by default. */
  readonly sessionIdleTimeoutMs?: number;
  /** Without one, Kerberos uses the bot's own ticket (the account it runs as). */
  readonly credential?: { readonly username: string; readonly password: string };
  /** Default per operation; `RunOptions.timeoutMs` overrides it. */
  readonly operationTimeoutMs: number;
  /** Starting pwsh and importing the session. */
  readonly connectTimeoutMs?: number;
  readonly perServerConcurrency: number;
  /** Shells in the pool (each holds one of the account's remote sessions). */
  readonly shells?: number;
  readonly inventoryTtlMs?: number;
  readonly recheckAfterIdleMs?: number;
  /** An endpoint left before an IISReset or restart of its server is not used again for this long (30 minutes by default). */
  readonly leftEndpointMs?: number;
  /** After a failed connect, fail fast for this long instead of starting pwsh again. */
  readonly reconnectBackoffMs?: number;
  /** The child's environment (tests point the stand-in pwsh at its scenario this way). */
  readonly env?: NodeJS.ProcessEnv;
  /** Start one shell at once, so the first question does not wait for the session import. */
  readonly warm?: boolean;
  /**
   * Tests only: import this PowerShell module (the stand-in Exchange cmdlets) in each shell
   * instead of opening a remote session. Everything else stays the production path. It is set
   * in code by tests and never read from configuration or chat.
   */
  readonly standInModule?: string;
  readonly log?: (
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
}

export interface PowerShellGatewayStats extends PoolStats {
  /** The most operations seen at once per server. */
  readonly peakPerServer: Readonly<Record<string, number>>;
  readonly timeouts: number;
  readonly crashes: number;
}

export interface PowerShellGateway extends ExchangeGateway {
  stats(): PowerShellGatewayStats;
}

function deadline(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timer = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([timer, signal]) : timer;
}

export async function createPowerShellGateway(options: PowerShellGatewayOptions): Promise<PowerShellGateway> {
  if (options.endpoints.length === 0) throw new GatewayError('unavailable', 'no Exchange endpoint is configured');
  const spec: ShellSpec = { executable: options.executable, ...(options.env ? { env: options.env } : {}) };
  await checkExecutable(spec);
  const log = options.log ?? (() => undefined);
  const connectTimeoutMs = options.connectTimeoutMs ?? 90_000;
  let rotation = 0;
  let closed = false;
  // Endpoints left before an IISReset or restart of their server, until when; and each shell's endpoint.
  const leftUntil = new Map<string, number>();
  const endpointOf = new WeakMap<PwshShell, string>();
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const isLeft = (server: string) => (leftUntil.get(server.toLowerCase()) ?? 0) > Date.now();
  /** The endpoints to connect to: all but those being left (all of them if every one is). */
  const usable = () => {
    const open = options.endpoints.filter((e) => !isLeft(e.server));
    return open.length > 0 ? open : options.endpoints;
  };
  const counts = { timeouts: 0, crashes: 0 };

  /** Imports the session from the endpoints in turn, starting at a different one for each shell. */
  async function connect(shell: PwshShell): Promise<void> {
    const signal = AbortSignal.timeout(connectTimeoutMs);
    const first = rotation++;
    let last: GatewayError | undefined;
    const endpoints = usable();
    for (let i = 0; i < endpoints.length; i++) {
      const endpoint = endpoints[(first + i) % endpoints.length]!;
      try {
        await openSession(shell, options, endpoint, signal);
        endpointOf.set(shell, endpoint.server);
        log('info', 'Exchange session imported', { shell: shell.id, endpoint: endpoint.server });
        return;
      } catch (err) {
        if (!(err instanceof GatewayError)) throw err;
        last = new GatewayError(
          err.code,
          `cannot open the Exchange session at ${endpoint.uri}: ${err.message}`,
          { server: endpoint.server },
          { cause: err },
        );
        log('warn', 'Exchange session failed', {
          shell: shell.id,
          endpoint: endpoint.server,
          code: err.code,
          error: err.message,
        });
        // A dead shell or a spent deadline will not get better with the next endpoint.
        if (err.code === 'timeout' || err.code === 'crashed' || err.code === 'not-installed') break;
      }
    }
    throw last ?? new GatewayError('unavailable', 'no Exchange endpoint could be reached');
  }

  async function check(shell: PwshShell): Promise<boolean> {
    try {
      const { data } = await callScript(
        shell,
        'check',
        {},
        AbortSignal.timeout(Math.min(10_000, options.operationTimeoutMs)),
      );
      const row = (Array.isArray(data) ? data[0] : data) as { State?: unknown } | undefined;
      return row?.State === 'Opened';
    } catch {
      return false;
    }
  }

  async function retire(shell: PwshShell): Promise<void> {
    // Remove the remote session: a leaked one holds a slot of the account's quota until it expires.
    await callScript(shell, 'disconnect', {}, AbortSignal.timeout(3000)).catch(() => undefined);
    await shell.dispose();
  }

  const onEvent = (e: PoolEvent) => {
    if (e.kind === 'discarded') log('warn', 'PowerShell shell discarded', { shell: e.shell, why: e.why });
    else if (e.kind === 'started') log('debug', 'PowerShell shell ready', { shell: e.shell, ms: e.ms });
  };
  const pool = new ShellPool({
    shell: spec,
    size: options.shells ?? 4,
    connect,
    check,
    retire,
    // A shell whose endpoint is being left is retired, so its session never meets the IISReset.
    outdated: (shell) => {
      const server = endpointOf.get(shell);
      return server !== undefined && isLeft(server);
    },
    recheckAfterIdleMs: options.recheckAfterIdleMs ?? 1000,
    retryAfterMs: options.reconnectBackoffMs ?? 5000,
    onEvent,
  });
  const limiter = new ServerLimiter(options.perServerConcurrency);

  /** Runs a script on a pooled shell; a shell that timed out or crashed is never reused. */
  async function onShell<T>(signal: AbortSignal, work: (shell: PwshShell) => Promise<T>): Promise<T> {
    const shell = await pool.acquire(signal);
    let usable = true;
    try {
      return await work(shell);
    } catch (err) {
      if (
        err instanceof GatewayError &&
        (err.code === 'timeout' || err.code === 'crashed' || err.code === 'not-installed')
      ) {
        usable = false;
        if (err.code === 'timeout') counts.timeouts++;
        else counts.crashes++;
      }
      throw err;
    } finally {
      pool.release(shell, usable);
    }
  }

  const inventory = new Inventory({
    ttlMs: options.inventoryTtlMs ?? 15 * 60_000,
    load: async () => {
      const signal = deadline(options.operationTimeoutMs, undefined);
      const { data } = await onShell(signal, (shell) => callScript(shell, 'inventory', {}, signal));
      return parseServers(data);
    },
    onStale: (err) =>
      log('warn', 'using the previous server inventory', { error: err instanceof Error ? err.message : String(err) }),
  });

  async function run<K extends OperationKind>(op: OperationOf<K>, runOptions?: RunOptions): Promise<ResultOf<K>> {
    if (closed) throw new GatewayError('unavailable', 'the PowerShell gateway is closed');
    checkValues(op as Operation);
    const operation = canonical(op as Operation);
    if (!isGatewayOperation(operation))
      throw new GatewayError('not-allowed', `${operation.kind} is run by the engine step by step`);
    const server = await inventory.resolve(operation.server);
    const timeoutMs = runOptions?.timeoutMs ?? options.operationTimeoutMs;
    const signal = deadline(timeoutMs, runOptions?.signal);
    const values = valuesFor(operation, server, timeoutMs);
    const release = await limiter.acquire(server.name, signal);
    try {
      const result = await onShell(signal, (shell) => callScript(shell, operation.kind, values, signal, server.name));
      if (result.warnings.length > 0)
        log('warn', 'Exchange printed warnings', {
          operation: operation.kind,
          server: server.name,
          warnings: result.warnings.slice(0, 5),
        });
      return parseResult(operation as OperationOf<K>, result.data, server, result);
    } catch (err) {
      if (err instanceof GatewayError && !err.params.server)
        throw new GatewayError(err.code, err.message, { ...err.params, server: server.name }, { cause: err });
      throw err;
    } finally {
      release();
    }
  }

  const gateway: PowerShellGateway = {
    listServers: () => inventory.list(),
    run,
    endpointServers: () => usable().map((e) => e.server),
    async leaveEndpoint(server) {
      const other = usable().find((e) => !same(e.server, server));
      if (!other) return undefined;
      leftUntil.set(server.toLowerCase(), Date.now() + (options.leftEndpointMs ?? 30 * 60_000));
      log('info', 'leaving an Exchange endpoint before its server restarts', { endpoint: server, to: other.server });
      await pool.retireOutdated();
      return other.server;
    },
    async health(): Promise<GatewayHealth> {
      if (closed) return { ok: false, detail: 'PowerShell gateway closed' };
      try {
        const servers = await inventory.list();
        const s = pool.stats();
        return {
          ok: true,
          detail: `Exchange via PowerShell: ${servers.length} server(s), ${s.idle + s.busy} shell(s) connected`,
        };
      } catch (err) {
        return { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
    async close() {
      closed = true;
      await pool.close();
    },
    stats: () => ({ ...pool.stats(), ...counts, peakPerServer: Object.fromEntries(limiter.peak) }),
  };

  if (options.warm) {
    // The first question should not wait for the session import; a failure here is only logged.
    inventory.list().catch((err: unknown) =>
      log('warn', 'could not reach Exchange at start-up', {
        error: err instanceof Error ? err.message : String(err),
      }),
    );
  }
  return gateway;
}
