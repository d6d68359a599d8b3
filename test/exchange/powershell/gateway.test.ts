/**
 * The PowerShell gateway through the real node-powershell path against the stand-in pwsh: the
 * contract every gateway meets, then each way a shell or Exchange can fail.
 */
import { describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../../src/core/index.ts';
import { createPowerShellGateway } from '../../../src/exchange/powershell/index.ts';
import { gatewayContract } from '../contract/gateway-contract.ts';
import { contoso, fakeEnv } from '../../fixtures/fake-pwsh/org.ts';
import type { LogLine } from './helpers.ts';
import { alive, gatewayOn, scriptsRun } from './helpers.ts';
import { unsaid } from '../../support/outcome.ts';

const probe = { kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' } as const;
const gsh = { kind: 'get-server-health', server: 'SERVER1' } as const;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

gatewayContract('powershell (stand-in pwsh)', async () => ({
  gateway: await gatewayOn(fakeEnv(contoso())),
  probe: { server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' },
}));

describe('the PowerShell gateway on a working organisation', () => {
  it('imports the session once per shell and reuses the shell for every operation', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake);
    await g.run(gsh);
    await g.run(probe);
    await g.run({ kind: 'get-service', server: 'mbx1', service: 'MSExchangeIMAP4BE' });
    expect(scriptsRun(fake)).toEqual(['connect', 'inventory', 'get-server-health', 'invoke-probe', 'get-service']);
    expect(new Set(fake.lines().map((l) => l.pid)).size).toBe(1);
    expect(g.stats()).toMatchObject({ started: 1, discarded: 0, idle: 1 });
  });

  it('answers every operation of the catalogue in the lab model', async () => {
    const g = await gatewayOn(fakeEnv(contoso()));
    expect(await g.run({ kind: 'get-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' })).toEqual({
      server: 'MBX1',
      service: 'MSExchangeIMAP4BE',
      displayName: 'Microsoft Exchange IMAP4 Backend',
      status: 'Running',
      startType: 'Automatic',
    });
    expect(await g.run({ kind: 'get-app-pool', server: 'SERVER1', appPool: 'msexchangeecpapppool' as never })).toEqual({
      server: 'SERVER1',
      appPool: 'MSExchangeECPAppPool',
      status: 'Started',
    });
    expect(
      unsaid(await g.run({ kind: 'recycle-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' })),
    ).toEqual({ ok: true, detail: 'MSExchangeECPAppPool recycled on SERVER1' });
    expect(unsaid(await g.run({ kind: 'iis-reset', server: 'SERVER2' }))).toEqual({
      ok: true,
      detail: 'IIS restarted on SERVER2',
    });
    expect(unsaid(await g.run({ kind: 'restart-server', server: 'SERVER2' }))).toEqual({
      ok: true,
      detail: 'SERVER2 restarts in 15 seconds',
    });
    expect(await g.run({ kind: 'get-protocol-logging', server: 'SERVER1', protocol: 'imap' })).toMatchObject({
      enabled: false,
      logPath: expect.stringContaining('Imap4'),
    });
    expect((await g.run({ kind: 'set-protocol-logging', server: 'SERVER1', protocol: 'imap', enabled: true })).ok).toBe(
      true,
    );
    expect(await g.run({ kind: 'get-protocol-logging', server: 'SERVER1', protocol: 'imap' })).toMatchObject({
      enabled: true,
    });
    expect(unsaid(await g.run({ kind: 'set-database-activation', server: 'SERVER1', mode: 'move-now' }))).toEqual({
      ok: true,
      detail: 'activation blocked on SERVER1; no active copies left on it',
      previousPolicy: 'Unrestricted',
    });
    expect(
      (await g.run({ kind: 'get-database-copy-status', server: 'SERVER1' })).find((c) => c.database === 'DB02')?.status,
    ).toBe('Healthy');
    // DB01's only other copy is on SERVER1, which is blocked now: the move fails honestly.
    expect(unsaid(await g.run({ kind: 'set-database-activation', server: 'MBX1', mode: 'move-now' }))).toEqual({
      ok: false,
      detail: 'activation blocked on MBX1; cannot move DB01 (Mounted; other copies: DB01\\SERVER1 Healthy)',
      previousPolicy: 'Unrestricted',
    });
    expect(unsaid(await g.run({ kind: 'set-database-activation', server: 'SERVER1', mode: 'allow' }))).toEqual({
      ok: true,
      detail: 'activation allowed again on SERVER1',
    });
  });

  it('leaves the Edge server out of the inventory and reads it once while it is fresh', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake, { inventoryTtlMs: 60_000 });
    expect((await g.listServers()).map((s) => s.name)).toEqual(['SERVER1', 'SERVER2', 'MBX1']);
    await g.listServers();
    await g.run({ kind: 'get-server-health', server: 'edge1' }).catch(() => undefined);
    expect(scriptsRun(fake).filter((s) => s === 'inventory')).toHaveLength(1);
  });

  it('keeps using the last inventory when reading it again fails, and says so', async () => {
    const fake = fakeEnv(contoso());
    const logs: LogLine[] = [];
    const g = await gatewayOn(fake, { inventoryTtlMs: 0 }, logs);
    await g.listServers();
    fake.rules([
      {
        script: 'inventory',
        action: 'error',
        error: { message: 'Active Directory operation failed on dc1.', reason: 'ADTransientException' },
      },
    ]);
    expect(await g.listServers()).toHaveLength(3);
    expect(logs.some((l) => l.message === 'using the previous server inventory')).toBe(true);
  });

  it('limits operations per server while other servers go ahead', async () => {
    const fake = fakeEnv(contoso(), { FAKE_PWSH_DELAYS: JSON.stringify({ 'invoke-probe': 150 }) });
    const g = await gatewayOn(fake, { shells: 4, perServerConcurrency: 2 });
    await g.listServers();
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: 6 }, () => g.run(probe)),
      g.run({ kind: 'invoke-probe', server: 'MBX1', healthSet: 'IMAP.Protocol', probe: 'ImapDeepTestProbe' }),
      g.run({ kind: 'invoke-probe', server: 'MBX1', healthSet: 'IMAP.Protocol', probe: 'ImapSelfTestProbe' }),
    ]);
    const { peakPerServer } = g.stats();
    expect(peakPerServer).toEqual({ server1: 2, mbx1: 2 });
    // Six probes two at a time on SERVER1: three rounds of 150 ms at least.
    expect(Date.now() - started).toBeGreaterThanOrEqual(440);
    expect(g.stats().started).toBeLessThanOrEqual(4);
  });

  it('never runs more shells than the pool holds', async () => {
    const fake = fakeEnv(contoso(), { FAKE_PWSH_DELAYS: JSON.stringify({ 'get-server-health': 50 }) });
    const g = await gatewayOn(fake, { shells: 2, perServerConcurrency: 8 });
    await Promise.all(Array.from({ length: 8 }, () => g.run(gsh)));
    expect(new Set(fake.lines().map((l) => l.pid)).size).toBe(2);
  });

  it('checks a shell that sat idle before reusing it, and replaces one whose session broke', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake, { recheckAfterIdleMs: 0 });
    await g.run(gsh);
    await g.run(gsh);
    expect(scriptsRun(fake)).toEqual([
      'connect',
      'inventory',
      'check',
      'get-server-health',
      'check',
      'get-server-health',
    ]);
    fake.rules([{ script: 'check', action: 'garbage', text: 'State: Broken', times: 1 }]);
    expect(await g.run(gsh)).not.toHaveLength(0);
    expect(g.stats()).toMatchObject({ started: 2, discarded: 1 });
    expect(scriptsRun(fake).slice(-3)).toEqual(['check', 'connect', 'get-server-health']);
  });

  it('does not take warnings on stderr or in the envelope for failures, and logs them', async () => {
    const fake = fakeEnv(contoso());
    const logs: LogLine[] = [];
    const g = await gatewayOn(fake, {}, logs);
    fake.rules([
      { script: 'get-server-health', action: 'stderr', text: 'WARNING: The Exchange cmdlets are slow today.' },
      {
        script: 'invoke-probe',
        action: 'warn',
        text: 'Invoke-MonitoringProbe: the probe ran with default credentials.',
      },
    ]);
    expect((await g.run({ ...gsh, healthSets: ['IMAP'] }))[0]?.alertValue).toBe('Unhealthy');
    expect((await g.run(probe)).resultType).toBe('Failed');
    const warned = logs.filter((l) => l.message === 'Exchange printed warnings').map((l) => l.fields?.warnings);
    expect(warned).toEqual([
      ['WARNING: The Exchange cmdlets are slow today.'],
      ['Invoke-MonitoringProbe: the probe ran with default credentials.'],
    ]);
    expect(g.stats().discarded).toBe(0);
  });
});

describe('the PowerShell gateway when things break', () => {
  it('times out a hung pipeline, kills that pwsh, and serves the next call from a new shell', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake);
    await g.listServers();
    fake.rules([{ script: 'invoke-probe', action: 'hang', times: 1 }]);
    const err = await failure(g.run(probe, { timeoutMs: 300 }));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'timeout', params: { server: 'SERVER1' } });
    const hung = fake.lines()[scriptsRun(fake).indexOf('invoke-probe')]!;
    expect(alive(hung.pid)).toBe(false);
    expect((await g.run(probe)).resultType).toBe('Failed');
    expect(g.stats()).toMatchObject({ timeouts: 1, started: 2 });
  });

  it('cancels on an abort signal the same way', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake);
    await g.listServers();
    fake.rules([{ script: 'get-server-health', action: 'hang', times: 1 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await failure(g.run(gsh, { signal: controller.signal }))).toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/cancelled/),
    });
    expect(await g.run(gsh)).not.toHaveLength(0);
  });

  it('counts the wait for a busy server against the deadline', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake, { perServerConcurrency: 1 });
    await g.listServers();
    fake.rules([{ script: 'get-server-health', action: 'slow', ms: 800, times: 1 }]);
    const slow = g.run(gsh);
    // The slow command holds the server's only slot once the stand-in has received it (an event, not a sleep).
    await vi.waitFor(() => expect(fake.lines().length).toBe(2), { timeout: 10_000, interval: 20 });
    expect(await failure(g.run(probe, { timeoutMs: 200 }))).toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/free slot on SERVER1/),
    });
    await slow;
    expect(fake.lines().length).toBe(3);
  });

  it.each([
    ['crash', 'exit code 3'],
    ['exit', 'exit code 0'],
  ])('reports a shell that dies mid-command (%s) as crashed and replaces it', async (action, how) => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake);
    await g.listServers();
    fake.rules([{ script: 'restart-service', action, times: 1 }]);
    const err = await failure(g.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' }));
    expect(err).toMatchObject({ code: 'crashed', params: { server: 'MBX1' } });
    expect((err as Error).message).toContain(how);
    expect(await g.run(gsh)).not.toHaveLength(0);
    expect(g.stats()).toMatchObject({ crashes: 1, started: 2 });
  });

  it('replaces a shell that died while idle, without failing the next call', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake);
    await g.listServers();
    const pid = fake.lines()[0]!.pid;
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect(await g.run(gsh)).not.toHaveLength(0);
    expect(g.stats()).toMatchObject({ started: 2, discarded: 1 });
  });

  it.each([
    ['bad-json', undefined],
    ['garbage', 'Name          Status\n----          ------\nImapCTPMonitor Unhealthy'],
  ])('says it could not read %s output, and keeps the shell', async (action, text) => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake);
    await g.listServers();
    fake.rules([{ script: 'get-server-health', action, times: 1, ...(text ? { text } : {}) }]);
    expect(await failure(g.run(gsh))).toMatchObject({ code: 'bad-output', params: { server: 'SERVER1' } });
    expect(await g.run(gsh)).not.toHaveLength(0);
    expect(g.stats()).toMatchObject({ started: 1, discarded: 0 });
  });

  it('reports a script PowerShell could not run from what it wrote to stderr', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake);
    await g.listServers();
    fake.rules([
      {
        script: 'get-server-health',
        action: 'fail-to-run',
        text: "ParserError: Missing closing '}' in statement block or type definition.",
        times: 1,
      },
    ]);
    expect(await failure(g.run(gsh))).toMatchObject({
      code: 'failed',
      message: expect.stringContaining('ParserError: Missing closing'),
    });
    expect(await g.run(gsh)).not.toHaveLength(0);
  });

  it('says which cmdlet RBAC does not grant, and still runs the others', async () => {
    const g = await gatewayOn(fakeEnv({ ...contoso(), denied: ['Invoke-MonitoringProbe'] }));
    const err = await failure(g.run(probe));
    expect(err).toMatchObject({ code: 'permission-denied', params: { server: 'SERVER1' } });
    expect((err as Error).message).toMatch(/Invoke-MonitoringProbe/);
    expect(await g.run(gsh)).not.toHaveLength(0);
  });

  it('separates WinRM refusing the account from WinRM not reaching the server', async () => {
    const g = await gatewayOn(fakeEnv({ ...contoso(), remoteDenied: ['MBX1'], remoteUnreachable: ['SERVER2'] }));
    expect(
      await failure(g.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' })),
    ).toMatchObject({ code: 'permission-denied', message: expect.stringMatching(/Access is denied/) });
    expect(await failure(g.run({ kind: 'iis-reset', server: 'SERVER2' }))).toMatchObject({ code: 'unavailable' });
    expect(await failure(g.run({ kind: 'get-service', server: 'SERVER1', service: 'MSExchangeUM' }))).toMatchObject({
      code: 'failed',
      message: expect.stringMatching(/Cannot find any service/),
    });
  });

  it('fails over to the next endpoint when one cannot be reached', async () => {
    const bad = 'http://server2.contoso.com/PowerShell/';
    const fake = fakeEnv({ ...contoso(), connectFailures: { [bad]: 'unreachable' } });
    const logs: LogLine[] = [];
    const g = await gatewayOn(
      fake,
      {
        endpoints: [
          { server: 'SERVER2', uri: bad },
          { server: 'SERVER1', uri: 'http://server1.contoso.com/PowerShell/' },
        ],
      },
      logs,
    );
    expect(await g.listServers()).toHaveLength(3);
    expect(scriptsRun(fake)).toEqual(['connect', 'connect', 'inventory']);
    expect(logs.find((l) => l.message === 'Exchange session failed')?.fields).toMatchObject({
      endpoint: 'SERVER2',
      code: 'unavailable',
    });
  });

  it('when no endpoint answers, says so and does not start a pwsh for every caller', async () => {
    const uri = 'http://server1.contoso.com/PowerShell/';
    const fake = fakeEnv({ ...contoso(), connectFailures: { [uri]: 'denied' } });
    const g = await gatewayOn(fake, { reconnectBackoffMs: 60_000 });
    const err = await failure(g.run(gsh));
    expect(err).toMatchObject({
      code: 'permission-denied',
      message: expect.stringContaining(`cannot open the Exchange session at ${uri}`),
    });
    await Promise.all([failure(g.listServers()), failure(g.run(probe))]);
    expect(scriptsRun(fake)).toEqual(['connect']);
    expect((await g.health()).ok).toBe(false);
  });

  it('times out a session import that does not finish', async () => {
    const fake = fakeEnv(contoso());
    fake.rules([{ script: 'connect', action: 'hang', times: 1 }]);
    // Long enough for a stand-in pwsh to start on a busy machine; the hang never ends anyway.
    const g = await gatewayOn(fake, { connectTimeoutMs: 3_000 });
    expect(await failure(g.listServers())).toMatchObject({ code: 'timeout' });
    expect(await g.listServers()).toHaveLength(3);
  });

  it('refuses to start without pwsh, with the message an administrator needs', async () => {
    for (const executable of ['/nonexistent/pwsh', 'pwsh-that-is-not-installed']) {
      const err = await failure(
        createPowerShellGateway({
          executable,
          endpoints: [{ server: 'X', uri: 'http://x/PowerShell/' }],
          authentication: 'Kerberos',
          operationTimeoutMs: 1000,
          perServerConcurrency: 1,
        }),
      );
      expect(err).toBeInstanceOf(GatewayError);
      expect(err).toMatchObject({ code: 'not-installed' });
      expect((err as Error).message).toMatch(/^PowerShell 7 \(pwsh\) is not installed or not on PATH/);
    }
  });

  it('keeps the password out of the command text, the errors and the log', async () => {
    const password = 'S3cret-Pa$$word-never-logged';
    const uri = 'https://server1.contoso.com/PowerShell/';
    const fake = fakeEnv({ ...contoso(), connectFailures: { [uri]: 'denied' } });
    const logs: LogLine[] = [];
    const g = await gatewayOn(
      fake,
      {
        authentication: 'Basic',
        credential: { username: 'CONTOSO\\svc-healthbot', password },
        endpoints: [{ server: 'SERVER1', uri }],
      },
      logs,
    );
    const err = await failure(g.listServers());
    expect(JSON.stringify(fake.lines())).not.toContain(password);
    expect(JSON.stringify(logs)).not.toContain(password);
    expect(String((err as Error).message)).not.toContain(password);
    expect(String((err as Error).message)).not.toContain(Buffer.from(password).toString('base64').slice(0, 12));
  });

  it('refuses work once closed and removes the remote sessions of its shells', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake);
    await g.run(gsh);
    const pid = fake.lines()[0]!.pid;
    await g.close();
    expect(scriptsRun(fake).at(-1)).toBe('disconnect');
    expect(alive(pid)).toBe(false);
    expect(await failure(g.run(gsh))).toMatchObject({ code: 'unavailable' });
  });
});
