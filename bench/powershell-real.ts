/**
 * What a real PowerShell 7 costs, measured here rather than emulated: pwsh's cold start (spawn to
 * the first answered script), importing the stand-in Exchange module (what Import-PSSession does
 * against real Exchange, without the network), a warm call through the whole gateway, and a
 * cold gateway (start, import, inventory, one operation). Exchange's own time is not in these.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createPowerShellGateway } from '../src/exchange/powershell/index.ts';
import { openSession } from '../src/exchange/powershell/session.ts';
import { PwshShell } from '../src/exchange/powershell/shell.ts';
import { EXCHANGE_MODULE, standInExchange } from '../test/fixtures/exchange-module/module.ts';
import { fmt, median, percentile } from './stats.ts';

const ENDPOINT = { server: 'SERVER1', uri: 'http://server1.contoso.com/PowerShell/' };

/** The same places the tests look: HEALTHBOT_TEST_PWSH, then the .NET global tool. */
function findPwsh(): string | undefined {
  const candidates = [
    process.env.HEALTHBOT_TEST_PWSH,
    join(homedir(), '.dotnet', 'tools', 'pwsh'),
    '/usr/bin/pwsh',
    '/usr/local/bin/pwsh',
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** Prints the figures; returns the measured cold start (median, ms), or undefined without pwsh. */
export async function realPwshFigures(
  coldRuns: number,
  warmRuns: number,
  emulated: { startupMs: number; importMs: number },
): Promise<number | undefined> {
  const pwsh = findPwsh();
  if (!pwsh) {
    console.log('real pwsh: not installed here (set HEALTHBOT_TEST_PWSH); only the emulated figures follow');
    return undefined;
  }
  const exchange = await standInExchange('imap-backend-hang');
  const start: number[] = [];
  const imports: number[] = [];
  for (let i = 0; i < coldRuns; i++) {
    const began = performance.now();
    const shell = new PwshShell({ executable: pwsh, env: exchange.env });
    await shell.run('check', {}, AbortSignal.timeout(60_000));
    start.push(performance.now() - began);
    const importing = performance.now();
    await openSession(
      shell,
      { authentication: 'Kerberos', operationTimeoutMs: 30_000, standInModule: EXCHANGE_MODULE },
      ENDPOINT,
      AbortSignal.timeout(60_000),
    );
    imports.push(performance.now() - importing);
    await shell.dispose();
  }
  const options = {
    executable: pwsh,
    endpoints: [ENDPOINT],
    authentication: 'Kerberos' as const,
    operationTimeoutMs: 60_000,
    connectTimeoutMs: 60_000,
    perServerConcurrency: 2,
    shells: 1,
    env: exchange.env,
    standInModule: EXCHANGE_MODULE,
  };
  const op = { kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] } as const;
  const cold: number[] = [];
  for (let i = 0; i < coldRuns; i++) {
    const began = performance.now();
    const g = await createPowerShellGateway(options);
    await g.listServers();
    await g.run(op);
    cold.push(performance.now() - began);
    await g.close();
  }
  const g = await createPowerShellGateway({ ...options, recheckAfterIdleMs: 60_000 });
  await g.run(op);
  const warm: number[] = [];
  const warmOs: number[] = [];
  for (let i = 0; i < warmRuns; i++) {
    let began = performance.now();
    await g.run(op);
    warm.push(performance.now() - began);
    began = performance.now();
    await g.run({ kind: 'get-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    warmOs.push(performance.now() - began);
  }
  await g.close();
  console.log(`real pwsh (${pwsh}), stand-in Exchange module, Exchange time 0`);
  console.log(
    `  cold start (spawn to first script answered)  median ${fmt(median(start))} ms over ${coldRuns} runs   (the stand-in below emulates this instead of its default ${emulated.startupMs} ms)`,
  );
  console.log(
    `  module import (in place of Import-PSSession)  median ${fmt(median(imports))} ms                 (stand-in pwsh emulates ${emulated.importMs} ms)`,
  );
  console.log(`  cold gateway (start + import + inventory + op) median ${fmt(median(cold))} ms`);
  console.log(
    `  warm call, Get-ServerHealth                   median ${fmt(median(warm))} ms   p95 ${fmt(percentile(warm, 95))} ms over ${warmRuns} runs`,
  );
  console.log(
    `  warm call, Get-Service through Invoke-Command median ${fmt(median(warmOs))} ms   p95 ${fmt(percentile(warmOs, 95))} ms`,
  );
  console.log(`  cold / warm                                   ${fmt(median(cold) / median(warm), 0)}x`);
  return median(start);
}
