/**
 * Twenty people (or one impatient script) run `healthbot approve` at the same moment, each in its
 * own process: the restart runs once, and everyone else is told who got there first.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { CliRun } from './cli-process.ts';
import { runCliProcess } from './cli-process.ts';
import { removeDataDir } from '../support/data-dirs.ts';

const dirs: string[] = [];
// The audit key and the anchor file live beside the data directory.
afterAll(() => dirs.forEach(removeDataDir));

export async function twentyApprovals(env: NodeJS.ProcessEnv) {
  const data = mkdtempSync(join(tmpdir(), 'healthbot-cli-'));
  dirs.push(data);
  const cli = (...args: string[]) => runCliProcess([...args, '--data', data, '--json'], env);
  const asked = (await cli('ask', 'imap on server1', '--as', 'alice')).json<{
    actions: { id: string; label: string }[];
  }>();
  const restart = asked.actions.find((a) => a.label === 'Restart MSExchangeIMAP4BE on MBX1')!;
  const approvalId = (await cli('click', restart.id, '--as', 'alice')).json<{ approvalId: string }>().approvalId;
  const approvers = ['bob', 'dave'];
  const runs: CliRun[] = await Promise.all(
    Array.from({ length: 20 }, (_, i) => cli('approve', approvalId, '--as', approvers[i % 2]!)),
  );
  const exported = (await cli('audit', 'export')).json<{ type: string; data: Record<string, unknown> }[]>();
  return { runs, exported };
}

export function expectOneExecution({ runs, exported }: Awaited<ReturnType<typeof twentyApprovals>>) {
  const winners = runs.filter((r) => r.code === 0);
  expect(winners, runs.map((r) => r.stderr).join('\n')).toHaveLength(1);
  expect(winners[0]!.json()).toMatchObject({ ok: true, approval: { state: 'succeeded' } });
  for (const loser of runs.filter((r) => r.code !== 0)) {
    expect(loser.code).toBe(1);
    expect(loser.json()).toMatchObject({
      ok: false,
      reason: 'decided',
      message: expect.stringMatching(/^Already approved by (Bob|Dave)/),
    });
  }
  expect(exported.filter((r) => r.type === 'action-started')).toHaveLength(1);
  expect(exported.filter((r) => r.type === 'approval-decided')).toHaveLength(1);
  // Every refused vote is on the record, with its reason, apart from the one decision.
  const refused = exported.filter((r) => r.type === 'approval-refused');
  expect(refused).toHaveLength(runs.length - 1);
  expect(new Set(refused.map((r) => r.data.reason))).toEqual(new Set(['decided']));
}
