/**
 * The parsers against fixtures shaped like Exchange's output (from the documented samples: the
 * Format-List of Get-ServerHealth on 2016 CU18, the blog's table views, the probe result with
 * "Failed by design."), in the variations builds and PowerShell versions produce.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerInfo } from '../../../src/core/index.ts';
import { GatewayError } from '../../../src/core/index.ts';
import { classify, readAnswer } from '../../../src/exchange/powershell/envelope.ts';
import {
  parseCopies,
  parseOutcome,
  parseProbe,
  parseResult,
  parseServerHealth,
  parseServers,
} from '../../../src/exchange/powershell/parse.ts';
import { appPoolStatus, instant, probeResultType, serviceStatus } from '../../../src/exchange/powershell/values.ts';
import { unsaid } from '../../support/outcome.ts';

const fixture = (name: string) => {
  const { envelope } = readAnswer(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'), '');
  if (!envelope) throw new Error(`${name} has no envelope`);
  return envelope;
};
const data = (name: string) => {
  const e = fixture(name);
  if (!e.ok) throw new Error(`${name} is an error`);
  return e.data;
};
const EX16: ServerInfo = { name: 'EX16', fqdn: 'ex16.contoso.com', roles: ['Mailbox', 'ClientAccess'] };
const timing = { startedAt: new Date('2026-11-24T14:00:00Z'), endedAt: new Date('2026-11-24T14:00:03Z') };

describe('Get-ServerHealth rows', () => {
  it('reads PowerShell 5.1 output: /Date(ms)/ with and without an offset, empty strings as absent', () => {
    const rows = parseServerHealth(data('get-server-health.ps51.json'), EX16, undefined);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      server: 'EX16',
      monitor: 'HealthManagerWorkItemQuarantineMonitor',
      healthSet: 'Monitoring',
      alertValue: 'Unhealthy',
      state: 'NotApplicable',
      firstAlertObservedTime: '2021-02-08T11:15:57.000Z',
      lastTransitionTime: '2021-02-08T11:15:57.000Z',
    });
    expect(rows[1]).toMatchObject({
      targetResource: 'MSExchangeOWAAppPool',
      error: 'The remote server returned an error: (503) Server Unavailable.',
    });
  });

  it('filters by health set without regard to case, whatever the script did', () => {
    const rows = parseServerHealth(data('get-server-health.ps51.json'), EX16, ['owa.proxy']);
    expect(rows.map((r) => r.targetResource)).toEqual(['MSExchangeOWAAppPool', 'MSExchangeOWACalendarAppPool']);
  });

  it('takes HealthSet when HealthSetName is missing, a single object for a list, any case of AlertValue, US and zone-less dates', () => {
    const rows = parseServerHealth(
      data('get-server-health.variant.json'),
      { name: 'E15MBX', fqdn: 'e15mbx.contoso.com', roles: ['Mailbox'] },
      undefined,
    );
    expect(rows).toEqual([
      {
        server: 'E15MBX',
        monitor: 'HealthManagerObserverMonitor',
        healthSet: 'RemoteMonitoring',
        alertValue: 'Repairing',
        state: 'NotApplicable',
        firstAlertObservedTime: '2021-02-08T11:15:57.000Z',
        lastTransitionTime: '2021-02-08T11:15:57.123Z',
      },
    ]);
  });

  it('reads an AlertValue it does not know as Unknown for that monitor, and keeps the other rows', () => {
    const rows = parseServerHealth(
      [
        { Name: 'M', HealthSetName: 'IMAP', AlertValue: 'Sideways' },
        { Name: 'N', HealthSetName: 'IMAP', AlertValue: 'Disabled' },
        { Name: 'O', HealthSetName: 'IMAP', AlertValue: null },
      ],
      EX16,
      undefined,
    );
    expect(rows.map((r) => [r.monitor, r.alertValue])).toEqual([
      ['M', 'Unknown'],
      ['N', 'Disabled'],
      ['O', 'Unknown'],
    ]);
  });

  it('refuses a row without a monitor name', () => {
    expect(() => parseServerHealth([{ HealthSetName: 'IMAP', AlertValue: 'Healthy' }], EX16, undefined)).toThrow(
      /without Name/,
    );
    expect(() => parseServerHealth(['text'], EX16, undefined)).toThrow(GatewayError);
  });

  it('reads no rows as an empty list', () => {
    expect(parseServerHealth([], EX16, undefined)).toEqual([]);
    expect(parseServerHealth(null, EX16, undefined)).toEqual([]);
  });
});

describe('Invoke-MonitoringProbe results', () => {
  const op = {
    kind: 'invoke-probe',
    server: 'EX16',
    healthSet: 'Monitoring',
    probe: 'HealthManagerHeartbeatProbe',
  } as const;

  it('maps the numeric ResultType and keeps Exchange timing', () => {
    const r = parseProbe(data('invoke-probe.numeric.json'), EX16, op, timing);
    expect(r).toMatchObject({
      resultType: 'Failed',
      error: 'Failed by design.',
      startedAt: '2021-02-08T11:15:57.000Z',
      endedAt: '2021-02-08T11:15:59.250Z',
      durationMs: 2250,
    });
    expect(r.exception).toMatch(/^System.Exception: Failed by design/);
  });

  it('reads a named ResultType from a single object, and drops empty Error/Exception', () => {
    const r = parseProbe(data('invoke-probe.named.json'), EX16, op, timing);
    expect(r).toEqual({
      server: 'EX16',
      healthSet: 'Monitoring',
      probe: 'HealthManagerHeartbeatProbe',
      resultType: 'Succeeded',
      startedAt: '2026-11-24T14:00:00.000Z',
      endedAt: '2026-11-24T14:00:01.500Z',
      durationMs: 1500,
    });
  });

  it('falls back to our own timing when Exchange gives none', () => {
    expect(parseProbe({ ResultType: '3' }, EX16, op, timing)).toMatchObject({
      resultType: 'Succeeded',
      startedAt: '2026-11-24T14:00:00.000Z',
      durationMs: 3000,
    });
  });

  it.each([
    [1, 'Timeout'],
    [2, 'Poisoned'],
    [3, 'Succeeded'],
    [4, 'Failed'],
    [5, 'Quarantined'],
    [6, 'Rejected'],
    ['4', 'Failed'],
    ['failed', 'Failed'],
    ['TIMEOUT', 'Timeout'],
  ])('ResultType %j is %s', (raw, name) => expect(probeResultType(raw)).toBe(name));

  it.each([0, 7, 'Maybe', null, true])('ResultType %j is refused', (raw) => {
    expect(probeResultType(raw)).toBeUndefined();
    expect(() => parseProbe({ ResultType: raw }, EX16, op, timing)).toThrow(/ResultType/);
  });

  it('refuses an empty answer', () => {
    expect(() => parseProbe([], EX16, op, timing)).toThrow(/returned nothing/);
  });
});

describe('dates and states', () => {
  it.each([
    ['/Date(1612782957000)/', '2021-02-08T11:15:57.000Z'],
    ['/Date(1612782957000-0500)/', '2021-02-08T11:15:57.000Z'],
    ['2021-02-08T12:15:57+01:00', '2021-02-08T11:15:57.000Z'],
    ['2021-02-08T11:15:57', '2021-02-08T11:15:57.000Z'],
    ['2/8/2021 11:15:57 PM', '2021-02-08T23:15:57.000Z'],
    ['2/8/2021 12:05 AM', '2021-02-08T00:05:00.000Z'],
    [1612782957000, '2021-02-08T11:15:57.000Z'],
  ])('%j is %s', (raw, iso) => expect(instant(raw)).toBe(iso));

  it.each(['', null, 'yesterday', {}])('%j is no date', (raw) => expect(instant(raw)).toBeUndefined());

  it('reads service status names and ServiceControllerStatus numbers', () => {
    expect([1, 2, 3, 4, 7, 'running', 'StopPending', 'ContinuePending'].map(serviceStatus)).toEqual([
      'Stopped',
      'StartPending',
      'StopPending',
      'Running',
      'Paused',
      'Running',
      'StopPending',
      'Unknown',
    ]);
    expect(serviceStatus(9)).toBeUndefined();
  });

  it('reads app pool states by name and by ObjectState number', () => {
    expect([0, 1, 3, 'started', 'Stopping'].map(appPoolStatus)).toEqual([
      'Starting',
      'Started',
      'Stopped',
      'Started',
      'Stopping',
    ]);
    expect(appPoolStatus('Recycling')).toBeUndefined();
  });
});

describe('inventory, copies and outcomes', () => {
  it('reads Get-ExchangeServer: roles from ServerRole, 2016+ Mailbox servers also serve clients, Edge left out', () => {
    expect(parseServers(data('get-exchangeserver.json'))).toEqual([
      {
        name: 'EX13CAS',
        fqdn: 'ex13cas.contoso.com',
        roles: ['ClientAccess'],
        site: 'Default-First-Site-Name',
        version: 'Version 15.0 (Build 1497.2)',
      },
      {
        name: 'EX13MBX',
        fqdn: 'ex13mbx.contoso.com',
        roles: ['Mailbox'],
        site: 'Default-First-Site-Name',
        version: 'Version 15.0 (Build 1497.2)',
      },
      {
        name: 'EX19',
        fqdn: 'ex19.contoso.com',
        roles: ['ClientAccess', 'Mailbox'],
        site: 'Branch',
        version: 'Version 15.2 (Build 1544.4)',
      },
    ]);
    expect(() => parseServers([{ Name: 'X' }])).toThrow(/without Name or Fqdn/);
  });

  it('reads copies, taking database and server from Name when the build leaves them out', () => {
    const mbx: ServerInfo = { name: 'EX13MBX', fqdn: 'ex13mbx.contoso.com', roles: ['Mailbox'] };
    expect(parseCopies(data('get-mailboxdatabasecopystatus.json'), mbx)).toEqual([
      { database: 'DB01', server: 'EX13MBX', status: 'Mounted', activationPreference: 1 },
      { database: 'DB02', server: 'EX13MBX', status: 'DisconnectedAndResynchronizing', activationPreference: 2 },
    ]);
    expect(() => parseCopies([{ Name: 'DB9\\EX13MBX', Status: 'Happy' }], mbx)).toThrow(/status "Happy"/);
    const queued = {
      Name: 'DB1\\EX13MBX',
      Status: 'Healthy',
      CopyQueueLength: 12,
      ReplayQueueLength: '340',
      ContentIndexState: 'Crawling',
      ActiveDatabaseCopy: 'ex13mbx2',
      LastInspectedLogTime: '2026-11-24T13:48:00Z',
    };
    expect(parseCopies([queued], mbx)).toEqual([
      {
        database: 'DB1',
        server: 'EX13MBX',
        status: 'Healthy',
        copyQueueLength: 12,
        replayQueueLength: 340,
        contentIndexState: 'Crawling',
        activeServer: 'ex13mbx2',
        lastInspectedLogTime: '2026-11-24T13:48:00.000Z',
      },
    ]);
  });

  it('says an action failed when what the script read back shows it', () => {
    expect(
      unsaid(
        parseOutcome(
          { kind: 'restart-service', server: 'EX16', service: 'MSExchangeIMAP4' },
          { Name: 'MSExchangeIMAP4', Status: 'StartPending' },
          EX16,
        ),
      ),
    ).toEqual({ ok: false, detail: 'MSExchangeIMAP4 on EX16 is StartPending after the restart' });
    expect(
      unsaid(
        parseOutcome(
          { kind: 'iis-reset', server: 'EX16' },
          {
            ExitCode: 1062,
            Output: 'Attempting start...\r\nRestart attempt failed.\r\nThe service has not been started.',
          },
          EX16,
        ),
      ),
    ).toEqual({
      ok: false,
      detail: 'iisreset on EX16 exited with 1062: Restart attempt failed. The service has not been started.',
    });
    const move = { kind: 'set-database-activation', server: 'EX16', mode: 'move-now' } as const;
    expect(
      unsaid(
        parseOutcome(
          move,
          {
            Mode: 'move-now',
            StillActive: {
              Database: 'DB01',
              Status: 'Mounted',
              MoveUnderWay: false,
              OtherCopies: 'DB01\\EX17 FailedAndSuspended',
            },
          },
          EX16,
        ),
      ),
    ).toEqual({
      ok: false,
      detail: 'activation blocked on EX16; cannot move DB01 (Mounted; other copies: DB01\\EX17 FailedAndSuspended)',
    });
    // Mounting counts as active; with a healthy copy elsewhere, Active Manager is still moving it: in progress, not failed.
    expect(
      unsaid(
        parseOutcome(
          move,
          {
            Mode: 'move-now',
            StillActive: [
              { Database: 'DB02', Status: 'Mounting', MoveUnderWay: true, OtherCopies: ['DB02\\EX17 Healthy'] },
            ],
          },
          EX16,
        ),
      ),
    ).toEqual({
      ok: true,
      detail:
        'activation blocked on EX16; move still in progress for DB02 (Mounting; other copies: DB02\\EX17 Healthy)',
    });
    expect(
      unsaid(
        parseOutcome(
          { kind: 'set-protocol-logging', server: 'EX16', protocol: 'pop', enabled: true },
          { ProtocolLogEnabled: 'False' },
          EX16,
        ),
      ),
    ).toEqual({ ok: false, detail: 'POP protocol logging on EX16 is still off' });
    expect(
      unsaid(parseResult({ kind: 'restart-server', server: 'EX16' }, [{ ExitCode: 0, Output: '' }], EX16, timing)),
    ).toEqual({ ok: true, detail: 'EX16 restarts in 15 seconds' });
  });

  it('reports the activation policy move-now replaced, and never guesses one it cannot read', () => {
    const move = { kind: 'set-database-activation', server: 'EX16', mode: 'move-now' } as const;
    expect(
      unsaid(parseOutcome(move, { Mode: 'move-now', PreviousPolicy: 'IntrasiteOnly', StillActive: [] }, EX16)),
    ).toEqual({
      ok: true,
      detail: 'activation blocked on EX16; no active copies left on it',
      previousPolicy: 'IntrasiteOnly',
    });
    expect(
      unsaid(parseOutcome(move, { Mode: 'move-now', PreviousPolicy: 'Sometimes', StillActive: [] }, EX16)),
    ).toEqual({ ok: true, detail: 'activation blocked on EX16; no active copies left on it' });
    expect(parseOutcome(move, { Mode: 'move-now', PreviousPolicy: null, StillActive: [] }, EX16)).not.toHaveProperty(
      'previousPolicy',
    );
    const back = { kind: 'set-database-activation', server: 'EX16', mode: 'allow', restorePolicy: 'Blocked' } as const;
    expect(unsaid(parseOutcome(back, { Mode: 'allow', PreviousPolicy: null, StillActive: [] }, EX16))).toEqual({
      ok: true,
      detail: 'activation allowed again on EX16 (policy Blocked restored)',
    });
  });

  it("names each outcome by a code and its values, so the engine says it in the person's language", () => {
    const move = { kind: 'set-database-activation', server: 'EX16', mode: 'move-now' } as const;
    expect(
      parseOutcome(
        { kind: 'restart-service', server: 'EX16', service: 'MSExchangeIMAP4' },
        { Name: 'MSExchangeIMAP4', Status: 'StartPending' },
        EX16,
      ).say,
    ).toEqual({
      code: 'serviceNotRunning',
      vars: { server: 'EX16', service: 'MSExchangeIMAP4', status: 'StartPending' },
    });
    expect(
      parseOutcome(move, { Mode: 'move-now', PreviousPolicy: 'IntrasiteOnly', StillActive: [] }, EX16).say,
    ).toEqual({ code: 'activationBlockedNoneActive', vars: { server: 'EX16' } });
  });
});

describe('the envelope and PowerShell errors', () => {
  it('finds the envelope among warnings and other lines, on either stream', () => {
    const answer = readAnswer(
      'WARNING: The names of some imported commands include unapproved verbs.\n{"healthbot":1,"ok":true,"data":[],"warnings":["w1"]}\nstray line\n',
      'WARNING: your password expires in 3 days\n',
    );
    expect(unsaid(answer.envelope)).toEqual({ ok: true, data: [], warnings: ['w1'] });
    expect(answer.noise).toEqual([
      'WARNING: The names of some imported commands include unapproved verbs.',
      'stray line',
      'WARNING: your password expires in 3 days',
    ]);
  });

  it('has no envelope for broken JSON or for text', () => {
    expect(readAnswer('{"healthbot":1,"ok":tr\n', '').envelope).toBeUndefined();
    expect(readAnswer('Name  Status\n----  ------\n', '').envelope).toBeUndefined();
  });

  it.each([['error.rbac.json', 'permission-denied']])('%s is %s', (name, code) => {
    const e = fixture(name);
    if (e.ok) throw new Error('expected an error');
    expect(classify(e.error, 'EX16')).toMatchObject({ code, params: { server: 'EX16' } });
  });

  it.each([
    [
      {
        message: "A parameter cannot be found that matches parameter name 'DatabaseCopyActivationDisabledAndMoveNow'.",
        reason: 'ParameterBindingException',
        id: 'NamedParameterNotFound,Set-MailboxServer',
      },
      'permission-denied',
    ],
    [
      {
        message: 'Connecting to remote server mbx1 failed with the following error message : Access is denied.',
        reason: 'PSRemotingTransportException',
        id: 'AccessDenied,PSSessionStateBroken',
      },
      'permission-denied',
    ],
    [
      {
        message:
          'Connecting to remote server mbx1 failed with the following error message : WinRM cannot complete the operation.',
        reason: 'PSRemotingTransportException',
        id: 'WinRMOperationTimeout,PSSessionStateBroken',
      },
      'unavailable',
    ],
    [{ message: 'The RPC server is unavailable.' }, 'unavailable'],
    [
      {
        message: "The operation couldn't be performed because object 'DB9' couldn't be found.",
        reason: 'ManagementObjectNotFoundException',
      },
      'failed',
    ],
  ])('%j is %s', (error, code) => expect(classify(error, undefined).code).toBe(code));

  it('hides base64 payloads that an error may quote', () => {
    const payload = Buffer.from('{"password":"hunter2-hunter2"}').toString('base64');
    const err = classify({ message: `ParserError: & ([ScriptBlock]::Create(...)) '${payload}'` }, undefined);
    expect(err.message).not.toContain(payload);
    expect(err.message).toContain("'[data]'");
  });

  it("keeps a long quoted name in Exchange's message readable: it is no payload", () => {
    const err = classify(
      {
        message: "A parameter cannot be found that matches parameter name 'DatabaseCopyActivationDisabledAndMoveNow'.",
        id: 'NamedParameterNotFound,Set-MailboxServer',
      },
      undefined,
    );
    expect(err.message).toContain("'DatabaseCopyActivationDisabledAndMoveNow'");
  });
});
