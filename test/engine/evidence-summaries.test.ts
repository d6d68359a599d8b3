/** The evidence in a card's words: one verdict per probe history, Managed Availability's actions grouped, three Windows lines at most. */
import { describe, expect, it } from 'vitest';
import type { ProbeHistoryEntry, RecoveryAction, WindowsEvent } from '../../src/core/index.ts';
import {
  alreadyTried,
  distinctErrors,
  historyVerdict,
  recoveryGroups,
  windowsLines,
} from '../../src/core/engine/evidence/summarise.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 9, 5 + minute)).toISOString();
const runs = (pattern: string, errors: readonly string[] = ['boom']): ProbeHistoryEntry[] =>
  [...pattern].map((c, i) => ({
    resultName: 'ImapCTPProbe/IMAP',
    resultType: c === 'S' ? 'Succeeded' : c === 'T' ? 'Timeout' : 'Failed',
    at: at(i * 5),
    ...(c === 'S' ? {} : { error: errors[i % errors.length]! }),
  }));

describe('probe history verdict', () => {
  it('says failed N of N, passing since, failing since, flapping, or nothing logged', () => {
    expect(historyVerdict(runs('FFFFFFFFFFFF'))).toEqual({ kind: 'failing-all', failed: 12, total: 12, since: at(0) });
    expect(historyVerdict(runs('FFFFFSSSSSSS'))).toEqual({
      kind: 'passing-since',
      since: at(25),
      failed: 5,
      total: 12,
    });
    expect(historyVerdict(runs('SSSSSSSFFFFF'))).toEqual({
      kind: 'failing-since',
      since: at(35),
      failed: 5,
      total: 12,
    });
    expect(historyVerdict(runs('FSFSSFSFFSSS'))).toEqual({ kind: 'flapping', failed: 5, total: 12, since: at(0) });
    expect(historyVerdict(runs('SSS'))).toEqual({ kind: 'passing-all', total: 3, since: at(0) });
    // A timeout is a failure; the order of the log does not matter.
    expect(historyVerdict(runs('TT').reverse())).toMatchObject({ kind: 'failing-all', failed: 2 });
    expect(historyVerdict([])).toEqual({ kind: 'none' });
  });

  it('lists the distinct errors, newest first', () => {
    expect(distinctErrors(runs('FFFFS', ['a', 'b', 'a', 'c']))).toEqual(['c', 'a', 'b']);
    expect(distinctErrors(runs('SSS'))).toEqual([]);
  });
});

const restart = (minutesAfter: number, over: Partial<RecoveryAction> = {}): RecoveryAction => ({
  server: 'SERVER1',
  action: 'RestartService',
  resource: 'MSExchangeIMAP4BE',
  state: 'Finished',
  result: 'Succeeded',
  startedAt: at(minutesAfter),
  endedAt: at(minutesAfter + 1),
  throttled: false,
  ...over,
});

describe("Managed Availability's actions", () => {
  it('groups by action and resource: how many ran, since when, the last success, a last failure, throttled now', () => {
    const groups = recoveryGroups([
      restart(40),
      restart(0),
      restart(20, { result: 'Failed', exception: 'TimeoutException: no stop' }),
      restart(60, { result: 'Failed', throttled: true }),
      restart(5, { action: 'RecycleApplicationPool', resource: 'MSExchangeOWAAppPool' }),
    ]);
    expect(groups).toEqual([
      {
        action: 'RestartService',
        resource: 'MSExchangeIMAP4BE',
        ran: 3,
        firstAt: at(0),
        lastSucceededAt: at(41),
        throttled: true,
      },
      {
        action: 'RecycleApplicationPool',
        resource: 'MSExchangeOWAAppPool',
        ran: 1,
        firstAt: at(5),
        lastSucceededAt: at(6),
        throttled: false,
      },
    ]);
    expect(
      recoveryGroups([restart(0), restart(20, { result: 'Failed', exception: 'TimeoutException: no stop' })])[0],
    ).toMatchObject({ lastFailure: 'TimeoutException: no stop', throttled: false });
  });

  it('matches a ladder step to what Managed Availability already did on the same server and resource only', () => {
    const actions = [restart(0), restart(10, { action: 'ForceReboot', resource: 'SERVER1' })];
    expect(
      alreadyTried(actions, 'SERVER1', { kind: 'restart-service', server: 'SERVER1', service: 'MSExchangeIMAP4BE' }),
    ).toMatchObject({ ran: 1 });
    expect(
      alreadyTried(actions, 'SERVER1', { kind: 'restart-service', server: 'SERVER1', service: 'MSExchangeIMAP4' }),
    ).toBeUndefined();
    expect(
      alreadyTried(actions, 'SERVER1', { kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' }),
    ).toBeUndefined();
    expect(alreadyTried(actions, 'SERVER1', { kind: 'restart-server', server: 'SERVER1' })).toMatchObject({
      action: 'ForceReboot',
    });
    // Only refused by the throttle: it never ran, so the rung was not climbed.
    expect(
      alreadyTried([restart(0, { throttled: true, result: 'Failed' })], 'SERVER1', {
        kind: 'restart-service',
        server: 'SERVER1',
        service: 'MSExchangeIMAP4BE',
      }),
    ).toBeUndefined();
  });
});

describe('Windows lines', () => {
  it('keeps at most three, a server that went down first', () => {
    const e = (kind: WindowsEvent['kind'], id: number, minute: number, subject?: string): WindowsEvent => ({
      server: 'SERVER1',
      kind,
      id,
      provider: 'x',
      at: at(minute),
      ...(subject ? { subject } : {}),
    });
    const lines = windowsLines([
      e('watson', 4999, 1, 'w3wp'),
      e('service-crash', 7034, 2, 'IMAP4 Backend'),
      e('service-crash', 7031, 3, 'IMAP4 Backend'),
      e('app-pool-failure', 5002, 4, 'OWA'),
      e('unexpected-shutdown', 6008, 0),
    ]);
    expect(lines.map((l) => [l.kind, l.count, l.subjects])).toEqual([
      ['unexpected-shutdown', 1, []],
      ['service-crash', 2, ['IMAP4 Backend']],
      ['app-pool-failure', 1, ['OWA']],
    ]);
  });
});
