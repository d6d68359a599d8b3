import type { ServerInfo } from '../model/exchange.ts';
import type { OperationKind, OperationOf, ResultOf } from '../model/operations.ts';

export interface RunOptions {
  /** Gives up after this long; the implementation cleans up whatever was running. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface GatewayHealth {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * The one way to reach Exchange. Implemented by the lab and by the PowerShell gateway.
 *
 * Guarantees:
 * - `run` only ever runs the fixed script of the named operation; parameters reach Exchange as
 *   data, never as command text, and servers not in `listServers()` are refused before anything
 *   runs (GatewayError `unknown-server`).
 * - Expected outcomes (a failed probe, a refused restart) are returned as values.
 * - Broken infrastructure (timeouts, a dead shell, missing permissions) throws a GatewayError.
 */
export interface ExchangeGateway {
  /** The organisation's servers with their roles. Implementations cache this. */
  listServers(): Promise<readonly ServerInfo[]>;
  run<K extends OperationKind>(op: OperationOf<K>, options?: RunOptions): Promise<ResultOf<K>>;
  /**
   * The servers whose Exchange endpoint the bot may be using now (its own way in). An IISReset or a
   * restart of one of them would cut the bot's session. Absent: the gateway has no such endpoint.
   */
  endpointServers?(): readonly string[];
  /**
   * Before an IISReset or a restart of `server`: new sessions go to another configured endpoint and
   * sessions on `server` are retired. Returns that other endpoint's server, or undefined (nothing
   * changed) when no other endpoint is configured.
   */
  leaveEndpoint?(server: string): Promise<string | undefined>;
  /** Cheap readiness check for /healthz and `healthbot doctor`. Never throws. */
  health(): Promise<GatewayHealth>;
  close(): Promise<void>;
}
