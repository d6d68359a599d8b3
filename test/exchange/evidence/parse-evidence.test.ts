/**
 * The evidence parsers on real-shaped event XML (EventLogRecord.ToXml() of each channel): what
 * Managed Availability did, a probe's history, the Windows events, the monitoring items; and
 * answers that are not what they should be are unreadable, never an empty history.
 */
import { describe, expect, it } from 'vitest';
import type { ServerInfo } from '../../../src/core/index.ts';
import { GatewayError } from '../../../src/core/index.ts';
import { readEventXml } from '../../../src/exchange/powershell/event-xml.ts';
import {
  parseMonitoringItemRows,
  parseProbeHistory,
  parseRecoveryActions,
  parseWindowsEvents,
} from '../../../src/exchange/powershell/parse-evidence.ts';
import { eventXml } from '../../fixtures/events/load.ts';

const SERVER1: ServerInfo = { name: 'SERVER1', fqdn: 'server1.contoso.com', roles: ['ClientAccess', 'Mailbox'] };
const rows = (xml: readonly string[]) => xml.map((Xml) => ({ Xml }));

describe('event XML', () => {
  it('reads the System header and the crimson channel fields, entities and line breaks decoded', () => {
    const record = readEventXml(eventXml('recovery-action-results')[0]!)!;
    expect(record).toMatchObject({
      id: 501,
      provider: 'Microsoft-Exchange-ManagedAvailability',
      timeCreated: '2026-11-30T10:41:07.1034421Z',
      channel: 'Microsoft-Exchange-ManagedAvailability/RecoveryActionResults',
    });
    expect(record.fields.ThrottleParametersXml).toBe(
      '<ThrottleConfig Enabled="True" LocalMinimumMinutesBetweenAttempts="15" LocalMaximumAllowedAttemptsInOneHour="-1" LocalMaximumAllowedAttemptsInADay="3" />',
    );
    expect(record.fields.ExceptionMessage).toContain('\r\n   at Microsoft.Exchange');
    expect(record.fields.Context).toBeUndefined();
  });

  it('reads classic EventData, named and unnamed', () => {
    const [, , restart, , , , , watson] = eventXml('windows-events').map((x) => readEventXml(x)!);
    expect(restart!.fields).toMatchObject({
      param5: 'restart',
      param6: 'Cumulative update 23 & reboot',
      param7: 'CONTOSO\\exadmin',
    });
    expect(watson!.strings[0]).toBe('10344');
    expect(watson!.fields.param1).toBe('10344');
  });

  it('is not fooled by text that is not an event', () => {
    expect(readEventXml('<html><body>Access is denied</body></html>')).toBeUndefined();
  });
});

describe('RecoveryActionResults', () => {
  it('keeps one entry per action (the Finished event over the Started one), oldest first, with throttling and exceptions', () => {
    const actions = parseRecoveryActions(rows(eventXml('recovery-action-results')), SERVER1);
    expect(actions.map((a) => [a.action, a.result, a.startedAt.slice(11, 19)])).toEqual([
      ['ForceReboot', 'Succeeded', '04:30:11'],
      ['RestartService', 'Succeeded', '09:12:03'],
      ['RestartService', 'Succeeded', '09:47:50'],
      ['RestartService', 'Succeeded', '10:25:31'],
      ['RestartService', 'Failed', '10:41:07'],
    ]);
    expect(actions[3]).toEqual({
      server: 'SERVER1',
      action: 'RestartService',
      resource: 'MSExchangeIMAP4BE',
      requester: 'ImapDeepTestRestartResponder',
      state: 'Finished',
      result: 'Succeeded',
      startedAt: '2026-11-30T10:25:31.140Z',
      endedAt: '2026-11-30T10:25:44.662Z',
      throttled: false,
    });
    // DateTime.MinValue is "not ended", never the year 1.
    expect(actions[4]).toMatchObject({
      throttled: true,
      exception: expect.stringMatching(
        /^ThrottlingRejectedOperationException: Operation rejected during throttling checks/,
      ),
    });
    expect(actions[4]!.endedAt).toBeUndefined();
    expect(actions[4]!.exception).not.toContain('\n');
  });

  it('keeps the Finished event whichever order the log returns them in', () => {
    const reversed = parseRecoveryActions(rows([...eventXml('recovery-action-results')].reverse()), SERVER1);
    expect(reversed.filter((a) => a.action === 'RestartService').map((a) => a.state)).toEqual([
      'Finished',
      'Finished',
      'Finished',
      'Finished',
    ]);
  });

  it('reads no events as no actions, and anything that is not event XML as unreadable', () => {
    expect(parseRecoveryActions([], SERVER1)).toEqual([]);
    expect(() => parseRecoveryActions([{ Xml: 'Access is denied' }], SERVER1)).toThrow(GatewayError);
    expect(() =>
      parseRecoveryActions(
        [
          {
            Xml: eventXml('recovery-action-results')[0]!
              .replace(/<Id>RestartService<\/Id>/, '')
              .replace(/SystemTime='[^']*'/, '')
              .replace(/<StartTime>[^<]*<\/StartTime>/, ''),
          },
        ],
        SERVER1,
      ),
    ).toThrow(/without its action or time/);
  });
});

describe('ProbeResult', () => {
  it('reads each run with its numeric ResultType, start time and first error line, oldest first', () => {
    const history = parseProbeHistory(
      { ResultNames: ['ImapCTPProbe', 'ImapCTPProbe/IMAP'], Events: eventXml('probe-results') },
      SERVER1,
    );
    expect(history.resultNames).toEqual(['ImapCTPProbe', 'ImapCTPProbe/IMAP']);
    expect(history.entries.map((e) => [e.resultName, e.resultType, e.at.slice(11, 16)])).toEqual([
      ['ImapDeepTestProbe/IMAP', 'Succeeded', '10:20'],
      ['ImapCTPProbe/IMAP', 'Succeeded', '10:25'],
      ['ImapCTPProbe/IMAP', 'Failed', '10:30'],
      ['ImapCTPProbe/IMAP', 'Timeout', '10:34'],
      ['ImapCTPProbe/IMAP', 'Failed', '10:40'],
    ]);
    expect(history.entries[4]!.error).toBe(
      "The IMAP server returned an unexpected response to LOGIN: '* BYE Connection is closed. 13' _Mbx:SERVER1.contoso.com",
    );
    expect(history.entries[1]!.error).toBeUndefined();
  });

  it('reads a single event and a single name as ConvertTo-Json writes one-item lists', () => {
    const [one] = eventXml('probe-results');
    expect(parseProbeHistory({ ResultNames: 'ImapCTPProbe/IMAP', Events: one }, SERVER1).entries).toHaveLength(1);
  });

  it('calls a missing answer or an event without ResultType unreadable', () => {
    expect(() => parseProbeHistory(null, SERVER1)).toThrow(/Exchange returned nothing/);
    const broken = eventXml('probe-results')[0]!.replace(/<ResultType>4<\/ResultType>/, '<ResultType>9</ResultType>');
    expect(() => parseProbeHistory({ ResultNames: [], Events: [broken] }, SERVER1)).toThrow(GatewayError);
  });
});

describe('Windows events', () => {
  it('keeps the asked-for kinds by id and provider, with what each is about', () => {
    const events = parseWindowsEvents(rows(eventXml('windows-events')), SERVER1);
    expect(events.map((e) => [e.kind, e.id, e.subject ?? null, e.detail ?? null])).toEqual([
      ['unexpected-shutdown', 41, null, 'bugcheck 0xef'],
      ['restart-by', 1074, 'CONTOSO\\exadmin', 'restart: Cumulative update 23 & reboot'],
      ['app-pool-failure', 5011, 'MSExchangeOWAAppPool', null],
      ['app-pool-failure', 5002, 'MSExchangeOWAAppPool', null],
      ['service-crash', 7031, 'Microsoft Exchange IMAP4 Backend', null],
      ['watson', 4999, 'Microsoft.Exchange.Imap4Service', 'System.TimeoutException'],
      ['service-crash', 7034, 'Microsoft Exchange IMAP4 Backend', null],
    ]);
  });
});

describe('Get-MonitoringItemIdentity', () => {
  it('reads rows, and takes name and target from Identity when a build leaves them out', () => {
    expect(
      parseMonitoringItemRows(
        [
          {
            Identity: 'FreeBusy\\FreeBusyCTPProbe\\FreeBusy',
            HealthSetName: 'FreeBusy',
            Name: 'FreeBusyCTPProbe',
            TargetResource: 'FreeBusy',
            ItemType: 'Probe',
          },
          { Identity: 'FreeBusy\\FreeBusyCTPMonitor\\FreeBusy', ItemType: 'Monitor' },
        ],
        SERVER1,
        'FreeBusy',
      ),
    ).toEqual([
      {
        server: 'SERVER1',
        healthSet: 'FreeBusy',
        itemType: 'Probe',
        name: 'FreeBusyCTPProbe',
        targetResource: 'FreeBusy',
      },
      {
        server: 'SERVER1',
        healthSet: 'FreeBusy',
        itemType: 'Monitor',
        name: 'FreeBusyCTPMonitor',
        targetResource: 'FreeBusy',
      },
    ]);
    expect(() => parseMonitoringItemRows([{ Identity: '' }], SERVER1, 'FreeBusy')).toThrow(GatewayError);
  });
});
