/**
 * Issue 14's check, as typed: on ma-already-restarted, `ask --json` includes the recovery actions
 * Managed Availability took with their times and results, and every offered step carries the
 * Exchange Management Shell command a person would type for it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { removeDataDir } from '../support/data-dirs.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDataDir));

interface Answer {
  status: string;
  evidence: {
    recovery: {
      status: string;
      value: {
        action: string;
        resource: string;
        result: string;
        startedAt: string;
        endedAt?: string;
        throttled: boolean;
      }[];
    };
    probeHistory: { monitor: string; read: { status: string; value: { resultType: string }[] } }[];
    commands: string[];
  };
  actions: { label: string; operation: { kind: string } | null; emsCommand: string | null }[];
}

describe('healthbot ask on ma-already-restarted', () => {
  it('answers with the recovery actions, their times and results, and EMS commands', { timeout: 60_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'hb-ma-'));
    dirs.push(data);
    const out: string[] = [];
    const before = Date.now();
    const code = await runCli(
      ['ask', "what's wrong with IMAP on server1?", '--scenario', 'ma-already-restarted', '--json', '--data', data],
      { out: (t) => out.push(t), err: () => {} },
    );
    expect(code).toBe(0);
    const answer = JSON.parse(out.join('')) as Answer;
    expect(answer.status).toBe('confirmed');
    expect(answer.evidence.recovery.status).toBe('read');
    const actions = answer.evidence.recovery.value;
    expect(actions.map((a) => [a.action, a.resource, a.result, a.throttled])).toEqual([
      ['RestartService', 'MSExchangeIMAP4BE', 'Succeeded', false],
      ['RestartService', 'MSExchangeIMAP4BE', 'Succeeded', false],
      ['RestartService', 'MSExchangeIMAP4BE', 'Succeeded', false],
      ['RestartService', 'MSExchangeIMAP4BE', 'Failed', true],
    ]);
    // Times as the scenario sets them, relative to when the lab started: 58 minutes before, 14 s long.
    const first = actions[0]!;
    expect(Date.parse(first.endedAt!) - Date.parse(first.startedAt)).toBe(14_000);
    expect(before - Date.parse(first.startedAt)).toBeGreaterThan(57 * 60_000);
    expect(answer.evidence.probeHistory.find((h) => h.monitor === 'ImapCTPMonitor')!.read.value).toHaveLength(14);
    expect(answer.evidence.commands[0]).toBe(
      "Invoke-Command -ComputerName 'SERVER1' -ScriptBlock { Get-WinEvent -LogName 'Microsoft-Exchange-ManagedAvailability/RecoveryActionResults' -FilterXPath '*[System[TimeCreated[timediff(@SystemTime) <= 86400000]]]' -MaxEvents 200 }",
    );
    expect(answer.actions[0]).toMatchObject({
      label: 'Restart MSExchangeIMAP4BE on SERVER1',
      operation: { kind: 'restart-service' },
      emsCommand:
        "Invoke-Command -ComputerName 'SERVER1' -ScriptBlock { Stop-Service -Name 'MSExchangeIMAP4BE' -Force; Start-Service -Name 'MSExchangeIMAP4BE' }",
    });
  });
});
