/**
 * The evidence scripts in a real PowerShell 7 against the stand-in module, whose Get-WinEvent
 * evaluates -FilterXPath for real on event XML fixtures: the time window and the ResultNames
 * filter, a counter monitor's SampleMask from its definition, "no events" as an empty answer,
 * and a name that would widen the filter refused before any read.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/core/index.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { eventXml, FIXTURE_NOW } from '../../fixtures/events/load.ts';
import { onModule } from './helpers.ts';

const pwsh = pwshPath();
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('evidence scripts on the stand-in Exchange module (real pwsh)', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  async function withEvents() {
    const { exchange, gateway } = await onModule(pwsh!);
    exchange.change((s) => {
      const state = s as Record<string, unknown>;
      state.eventNow = FIXTURE_NOW.toISOString();
      state.eventXml = {
        SERVER1: {
          'Microsoft-Exchange-ManagedAvailability/RecoveryActionResults': eventXml('recovery-action-results'),
          'Microsoft-Exchange-ActiveMonitoring/ProbeResult': eventXml('probe-results'),
          'Microsoft-Exchange-ActiveMonitoring/MonitorDefinition': eventXml('monitor-definition'),
          System: eventXml('windows-events').filter((x) => x.includes('<Channel>System</Channel>')),
          Application: eventXml('windows-events').filter((x) => x.includes('<Channel>Application</Channel>')),
        },
      };
    });
    const xpaths = () =>
      exchange
        .calls()
        .filter((c) => c.cmdlet === 'Get-WinEvent')
        .map((c) => c.parameters as { LogName: string[]; FilterXPath: string; MaxEvents: number });
    return { exchange, gateway, xpaths };
  }

  it('reads what Managed Availability did within the window only, with a bounded XPath', async () => {
    const { gateway, xpaths } = await withEvents();
    const day = await gateway.run({ kind: 'get-recovery-actions', server: 'SERVER1', sinceMinutes: 24 * 60 });
    expect(day.map((a) => `${a.action} ${a.result}${a.throttled ? ' throttled' : ''}`)).toEqual([
      'RestartService Succeeded',
      'RestartService Succeeded',
      'RestartService Succeeded',
      'RestartService Failed throttled',
    ]);
    // The ForceReboot of the day before is outside a 24-hour window, and inside a 36-hour one.
    const longer = await gateway.run({ kind: 'get-recovery-actions', server: 'SERVER1', sinceMinutes: 36 * 60 });
    expect(longer[0]).toMatchObject({
      action: 'ForceReboot',
      resource: 'SERVER1',
      requester: 'ActiveDirectoryConnectivityServerReboot',
    });
    expect(xpaths()[0]).toMatchObject({
      LogName: ['Microsoft-Exchange-ManagedAvailability/RecoveryActionResults'],
      FilterXPath: '*[System[TimeCreated[timediff(@SystemTime) <= 86400000]]]',
      MaxEvents: 200,
    });
  });

  it('reads the probe history of exactly the ResultNames asked for, and a counter monitor by its SampleMask', async () => {
    const { gateway, xpaths } = await withEvents();
    const history = await gateway.run({
      kind: 'get-probe-history',
      server: 'SERVER1',
      resultNames: ['ImapCTPProbe', 'ImapCTPProbe/IMAP'],
      sinceMinutes: 120,
    });
    expect(history.entries.map((e) => e.resultType)).toEqual(['Succeeded', 'Failed', 'Timeout', 'Failed']);
    expect(history.entries.every((e) => e.resultName === 'ImapCTPProbe/IMAP')).toBe(true);
    expect(xpaths().at(-1)!.FilterXPath).toBe(
      "*[System[TimeCreated[timediff(@SystemTime) <= 7200000]]] and *[UserData[EventXML[ResultName='ImapCTPProbe' or ResultName='ImapCTPProbe/IMAP']]]",
    );
    // 12 minutes back: only the last two runs.
    expect(
      (
        await gateway.run({
          kind: 'get-probe-history',
          server: 'SERVER1',
          resultNames: ['ImapCTPProbe/IMAP'],
          sinceMinutes: 12,
        })
      ).entries,
    ).toHaveLength(2);

    const counter = await gateway.run({
      kind: 'get-probe-history',
      server: 'SERVER1',
      resultNames: [],
      monitors: ['ImapCommandProcessingTimeMonitor'],
      sinceMinutes: 120,
    });
    expect(counter.resultNames).toEqual(['ImapCommandProcessingTime/MSExchangeIMAP4BE']);
    expect(
      xpaths().some(
        (x) =>
          x.LogName[0] === 'Microsoft-Exchange-ActiveMonitoring/MonitorDefinition' &&
          x.FilterXPath === "*[UserData[EventXML[Name='ImapCommandProcessingTimeMonitor']]]",
      ),
    ).toBe(true);
  });

  it('reads the Windows events of the window from System and Application, and none as an empty answer', async () => {
    const { gateway, xpaths } = await withEvents();
    // The kernel's event 41 (a day and a half ago) is outside 24 hours; the other provider's 41 is never one of ours.
    expect(
      (await gateway.run({ kind: 'get-windows-events', server: 'SERVER1', sinceMinutes: 24 * 60 })).map((e) => e.id),
    ).toEqual([1074, 5011, 5002, 7031, 4999, 7034]);
    const events = await gateway.run({ kind: 'get-windows-events', server: 'SERVER1', sinceMinutes: 36 * 60 });
    expect(events.map((e) => e.id)).toEqual([41, 1074, 5011, 5002, 7031, 4999, 7034]);
    expect(events[0]).toMatchObject({ kind: 'unexpected-shutdown', detail: 'bugcheck 0xef' });
    expect(
      xpaths()
        .slice(0, 2)
        .map((x) => x.LogName[0]),
    ).toEqual(['System', 'Application']);
    expect(await gateway.run({ kind: 'get-windows-events', server: 'SERVER2', sinceMinutes: 60 })).toEqual([]);
  });

  it('refuses names that would change the filter before any shell, and never reads ProbeResult without a name', async () => {
    const { exchange, gateway } = await withEvents();
    const before = exchange.calls().length;
    for (const resultNames of [["x' or ResultName!='"], ['a]]] | *[System'], ['$(Stop-Computer)']]) {
      expect(
        await failure(gateway.run({ kind: 'get-probe-history', server: 'SERVER1', resultNames, sinceMinutes: 60 })),
      ).toMatchObject({ code: 'not-allowed' });
    }
    expect(
      await failure(gateway.run({ kind: 'get-probe-history', server: 'SERVER1', resultNames: [], sinceMinutes: 60 })),
    ).toBeInstanceOf(GatewayError);
    expect(
      await failure(gateway.run({ kind: 'get-recovery-actions', server: 'SERVER1', sinceMinutes: 0 })),
    ).toMatchObject({ code: 'not-allowed' });
    expect(exchange.calls().slice(before)).toEqual([]);
    expect(exchange.canary()).toEqual([]);
  });
});
