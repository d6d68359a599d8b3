/** A PowerShell gateway on the stand-in pwsh, closed after each test. */
import { afterEach } from 'vitest';
import type { PowerShellGateway, PowerShellGatewayOptions } from '../../../src/exchange/powershell/index.ts';
import { createPowerShellGateway } from '../../../src/exchange/powershell/index.ts';
import { decodeInvocation } from '../../../src/exchange/powershell/encode.ts';
import { SCRIPT_MARKER } from '../../../src/exchange/powershell/scripts.ts';
import type { FakeEnv } from '../../fixtures/fake-pwsh/org.ts';
import { FAKE_PWSH } from '../../fixtures/fake-pwsh/org.ts';

const open: PowerShellGateway[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((g) => g.close()));
});

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

export async function gatewayOn(
  fake: FakeEnv,
  over: Partial<PowerShellGatewayOptions> = {},
  logs: LogLine[] = [],
): Promise<PowerShellGateway> {
  const gateway = await createPowerShellGateway({
    executable: FAKE_PWSH,
    endpoints: [{ server: 'SERVER1', uri: 'http://server1.contoso.com/PowerShell/' }],
    authentication: 'Kerberos',
    operationTimeoutMs: 5000,
    connectTimeoutMs: 5000,
    perServerConcurrency: 2,
    shells: 2,
    reconnectBackoffMs: 0,
    env: fake.env,
    log: (level, message, fields) => logs.push({ level, message, ...(fields ? { fields } : {}) }),
    ...over,
  });
  open.push(gateway);
  return gateway;
}

/** The scripts the stand-ins ran, by name, in order of arrival. */
export function scriptsRun(fake: FakeEnv): string[] {
  return fake.lines().map(({ line }) => {
    const decoded = decodeInvocation(line);
    return decoded
      ? decoded.script.slice(SCRIPT_MARKER.length, decoded.script.indexOf('\n'))
      : `<not an invocation: ${line.slice(0, 60)}>`;
  });
}

export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
