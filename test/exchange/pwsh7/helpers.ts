/** A PowerShell gateway on a real pwsh with the stand-in Exchange module, closed after each test. */
import { afterEach } from 'vitest';
import type { PowerShellGateway, PowerShellGatewayOptions } from '../../../src/exchange/powershell/index.ts';
import { createPowerShellGateway } from '../../../src/exchange/powershell/index.ts';
import { openSession } from '../../../src/exchange/powershell/session.ts';
import { PwshShell } from '../../../src/exchange/powershell/shell.ts';
import type { Hidden, StandInExchange } from '../../fixtures/exchange-module/module.ts';
import { EXCHANGE_MODULE, standInExchange } from '../../fixtures/exchange-module/module.ts';

const open: PowerShellGateway[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((g) => g.close()));
});

export const ENDPOINTS = [{ server: 'SERVER1', uri: 'http://server1.contoso.com/PowerShell/' }];

export async function realGateway(
  pwsh: string,
  exchange: StandInExchange,
  over: Partial<PowerShellGatewayOptions> = {},
): Promise<PowerShellGateway> {
  const gateway = await createPowerShellGateway({
    executable: pwsh,
    endpoints: ENDPOINTS,
    authentication: 'Kerberos',
    // Generous: a pwsh start on a busy two-core machine takes seconds; nothing here waits for it to pass.
    operationTimeoutMs: 20_000,
    connectTimeoutMs: 30_000,
    perServerConcurrency: 2,
    shells: 1,
    reconnectBackoffMs: 0,
    env: exchange.env,
    standInModule: EXCHANGE_MODULE,
    ...over,
  });
  open.push(gateway);
  return gateway;
}

export async function onModule(
  pwsh: string,
  scenario = 'imap-backend-hang',
  hidden: Hidden = {},
  over: Partial<PowerShellGatewayOptions> = {},
  now = new Date(),
) {
  const exchange = await standInExchange(scenario, hidden, now);
  const gateway = await realGateway(pwsh, exchange, over);
  return { exchange, gateway };
}

/** One bare pwsh shell with the stand-in module imported, for tests that call scripts below the gateway. */
export async function openModuleShell(
  pwsh: string,
  scenario = 'imap-backend-hang',
): Promise<{ exchange: StandInExchange; shell: PwshShell }> {
  const exchange = await standInExchange(scenario);
  return { exchange, shell: await openShellOn(pwsh, exchange) };
}

/** Another bare pwsh shell on the same stand-in organisation (to replace one that was stopped). */
export async function openShellOn(pwsh: string, exchange: StandInExchange): Promise<PwshShell> {
  const shell = new PwshShell({ executable: pwsh, env: exchange.env });
  await openSession(
    shell,
    { authentication: 'Kerberos', operationTimeoutMs: 30_000, standInModule: EXCHANGE_MODULE },
    ENDPOINTS[0]!,
    AbortSignal.timeout(60_000),
  );
  return shell;
}
