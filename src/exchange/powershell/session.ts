/**
 * Opening what a fresh shell talks to: the Exchange remote session, or in tests the stand-in
 * Exchange module (the one test seam, set in code through `standInModule`).
 */
import { callScript } from './call.ts';
import type { ExchangeEndpoint, PowerShellGatewayOptions } from './index.ts';
import { EXCHANGE_CMDLETS } from './scripts.ts';
import type { PwshShell } from './shell.ts';

/** WinRM to the servers' OS: as configured, else Kerberos, or Negotiate when Exchange is reached with Basic. */
export function remotingAuthenticationFor(
  options: Pick<PowerShellGatewayOptions, 'authentication' | 'remotingAuthentication'>,
): 'Kerberos' | 'Negotiate' {
  return options.remotingAuthentication ?? (options.authentication === 'Basic' ? 'Negotiate' : 'Kerberos');
}

/** Imports the Exchange session (or, in tests, the stand-in module) into a fresh shell. */
export async function openSession(
  shell: PwshShell,
  options: Pick<
    PowerShellGatewayOptions,
    | 'authentication'
    | 'remotingAuthentication'
    | 'credential'
    | 'standInModule'
    | 'operationTimeoutMs'
    | 'sessionIdleTimeoutMs'
  >,
  endpoint: ExchangeEndpoint,
  signal: AbortSignal,
): Promise<void> {
  const remotingAuthentication = remotingAuthenticationFor(options);
  if (options.standInModule !== undefined) {
    await callScript(
      shell,
      'connect-stand-in',
      { module: options.standInModule, uri: endpoint.uri, remotingAuthentication },
      signal,
      endpoint.server,
    );
    return;
  }
  const values = {
    uri: endpoint.uri,
    authentication: options.authentication,
    remotingAuthentication,
    // PowerShell's floor for an idle timeout is one minute.
    idleTimeoutMs: Math.max(60_000, options.sessionIdleTimeoutMs ?? 15 * 60_000),
    operationTimeoutMs: options.operationTimeoutMs + 30_000,
    commands: EXCHANGE_CMDLETS,
    ...(options.credential ? { username: options.credential.username, password: options.credential.password } : {}),
  };
  await callScript(shell, 'connect', values, signal, endpoint.server);
}
