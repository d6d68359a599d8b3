/** The answer of Move-ActiveMailboxDatabase -ActivatePreferredOnServer, read tolerantly but never counted as moved when it did not. */
import { describe, expect, it } from 'vitest';
import { parseRebalance } from '../../../src/exchange/powershell/parse-recovery.ts';
import { SERVER1 } from './server1.ts';

describe('parseRebalance', () => {
  it('names each database moved back and where it was active', () => {
    const rows = [
      {
        Database: 'DB02',
        ActiveServerAtStart: 'SERVER2',
        ActiveServerAtEnd: 'SERVER1',
        Status: 'Succeeded',
        ErrorMessage: '',
      },
      { Database: 'DB05', ActiveServerAtStart: 'MBX1', ActiveServerAtEnd: 'SERVER1', Status: 'Succeeded' },
    ];
    expect(parseRebalance(rows, SERVER1)).toEqual({
      ok: true,
      detail: 'moved back to SERVER1: DB02 (from SERVER2), DB05 (from MBX1)',
      say: { code: 'rebalanceMoved', vars: { server: 'SERVER1', databases: 'DB02 ← SERVER2, DB05 ← MBX1' } },
    });
  });

  it('reads one row sent as an object, names in any case, and an FQDN for the server', () => {
    expect(
      parseRebalance(
        {
          identity: 'DB02',
          activeserveratstart: 'server2.contoso.com',
          activeserveratend: 'server1.contoso.com',
          status: 'succeeded',
        },
        SERVER1,
      ),
    ).toEqual({
      ok: true,
      detail: 'moved back to SERVER1: DB02 (from server2.contoso.com)',
      say: { code: 'rebalanceMoved', vars: { server: 'SERVER1', databases: 'DB02 ← server2.contoso.com' } },
    });
  });

  it('counts a failed move, or a Succeeded one that ended elsewhere, as not moved, with the reason', () => {
    const rows = [
      { Database: 'DB02', ActiveServerAtStart: 'SERVER2', ActiveServerAtEnd: 'SERVER1', Status: 'Succeeded' },
      {
        Database: 'DB03',
        ActiveServerAtStart: 'MBX1',
        ActiveServerAtEnd: 'MBX1',
        Status: 'Failed',
        ErrorMessage: 'the copy on SERVER1 is not healthy',
      },
      { Database: 'DB04', ActiveServerAtEnd: 'MBX1', Status: 'Succeeded' },
    ];
    expect(parseRebalance(rows, SERVER1)).toEqual({
      ok: false,
      detail:
        'moved back to SERVER1: DB02 (from SERVER2); not moved: DB03 (Failed, active on MBX1: the copy on SERVER1 is not healthy); DB04 (Succeeded, active on MBX1)',
      // For a person: codes, the statuses as Exchange gave them, and Exchange's reason quoted as written.
      say: {
        code: 'rebalanceMoved',
        vars: { server: 'SERVER1', databases: 'DB02 ← SERVER2' },
        then: [
          {
            code: 'rebalanceNotMoved',
            vars: { server: 'SERVER1', databases: 'DB03 (Failed), DB04 (Succeeded)' },
            quoted: 'DB03: the copy on SERVER1 is not healthy',
          },
        ],
      },
    });
  });

  it('says when nothing had to move, and refuses an answer that is not rows', () => {
    const nothing = {
      ok: true,
      detail: 'no database had to move back to SERVER1',
      say: { code: 'rebalanceNothing', vars: { server: 'SERVER1' } },
    };
    expect(parseRebalance([], SERVER1)).toEqual(nothing);
    expect(parseRebalance(null, SERVER1)).toEqual(nothing);
    expect(() => parseRebalance(['DB02'], SERVER1)).toThrow(/could not read/);
  });
});
