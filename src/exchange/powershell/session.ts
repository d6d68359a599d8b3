/**
 * Opening what a fresh shell talks to: the Exchange remote session, or in tests the stand-in
 * Exchange module (the one test seam, set in code through `standInModule`).
 */
import { callScript } from './call.ts';
import type { ExchangeEndpoint, PowerShellGatewayOptions } from './index.ts';
import { EXCHANGE_CMDLETS } from './scripts.ts';
import type { PwshShell } from './shell.ts';

/** Imports the Exchange session (or, in tests, the stand-in module) into a fresh shell. */
export async function openSession(
  shell: PwshShell,
  options: Pick<PowerShellGatewayOptions, 'authentication' | 'credential' | 'standInModule'>,
  endpoint: ExchangeEndpoint,
  signal: AbortSignal,
): Promise<void> {
  if (options.standInModule !== undefined) {
    await callScript(shell, 'connect-stand-in', { module: options.standInModule, uri: endpoint.uri, authentication: options.authentication }, signal, endpoint.server);
    return;
  }
  const values = {
    uri: endpoint.uri,
    authentication: options.authentication,
    commands: EXCHANGE_CMDLETS,
    ...(options.credential ? { username: options.credential.username, password: options.credential.password } : {}),
  };
  await callScript(shell, 'connect', values, signal, endpoint.server);
}
