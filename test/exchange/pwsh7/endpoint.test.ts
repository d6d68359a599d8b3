/**
 * Leaving the bot's own endpoint before an IISReset or restart of its server, in a real PowerShell 7
 * with the stand-in module: the shells on it are retired, new ones import the session from the other
 * endpoint, and with a single endpoint nothing changes (the engine then refuses the step).
 */
import { describe, expect, it } from 'vitest';
import { standInExchange } from '../../fixtures/exchange-module/module.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { realGateway } from './helpers.ts';

const pwsh = pwshPath();
const TWO = [
  { server: 'SERVER1', uri: 'http://server1.contoso.com/PowerShell/' },
  { server: 'SERVER2', uri: 'http://server2.contoso.com/PowerShell/' },
];

describe('the PowerShell gateway leaves its own endpoint', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  it('retires the shell on SERVER1 and imports the next session from SERVER2', async () => {
    const imported: string[] = [];
    const gateway = await realGateway(pwsh, await standInExchange('imap-backend-hang'), {
      endpoints: TWO,
      log: (_level, message, fields) => {
        if (message === 'Exchange session imported') imported.push(String(fields?.endpoint));
      },
    });
    expect(gateway.endpointServers!()).toEqual(['SERVER1', 'SERVER2']);
    await gateway.run({ kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] });
    expect(imported).toEqual(['SERVER1']);

    expect(await gateway.leaveEndpoint!('server1')).toBe('SERVER2');
    expect(gateway.endpointServers!()).toEqual(['SERVER2']);
    await gateway.run({ kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] });
    expect(imported).toEqual(['SERVER1', 'SERVER2']);
    expect(gateway.stats()).toMatchObject({ started: 2, discarded: 0 });
    // Nowhere left to go from SERVER2 while SERVER1 is being left.
    expect(await gateway.leaveEndpoint!('SERVER2')).toBeUndefined();
  }, 90_000);

  it('with one endpoint, has nowhere to go and keeps its shell', async () => {
    const gateway = await realGateway(pwsh, await standInExchange('imap-backend-hang'));
    await gateway.run({ kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] });
    expect(await gateway.leaveEndpoint!('SERVER1')).toBeUndefined();
    expect(gateway.endpointServers!()).toEqual(['SERVER1']);
    await gateway.run({ kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] });
    expect(gateway.stats()).toMatchObject({ started: 1 });
  }, 60_000);
});
