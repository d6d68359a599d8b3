/** The check, as typed: on maintenance-left-on, `ask --json` offers exiting maintenance first and no restart. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { removeDataDir } from '../support/data-dirs.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDataDir));

describe('healthbot ask on maintenance-left-on', () => {
  it('offers exiting maintenance as its first step and offers no restart', { timeout: 60_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'hb-maint-'));
    dirs.push(data);
    const out: string[] = [];
    const code = await runCli(
      ['ask', "what's wrong with IMAP on server2?", '--scenario', 'maintenance-left-on', '--json', '--data', data],
      { out: (t) => out.push(t), err: () => {} },
    );
    expect(code).toBe(0);
    const answer = JSON.parse(out.join('')) as {
      status: string;
      actions: { label: string; operation: { kind: string } | null; requiresApproval: boolean }[];
    };
    expect(answer.status).toBe('confirmed');
    expect(answer.actions[0]).toMatchObject({
      label: expect.stringMatching(
        /^Exit maintenance on SERVER2: Set ServerWideOffline Active on SERVER2 \(requester Maintenance\); Resume the cluster node SERVER2/,
      ),
      operation: { kind: 'exit-maintenance' },
      requiresApproval: true,
    });
    const kinds = answer.actions.map((a) => a.operation?.kind);
    for (const restart of ['restart-server', 'restart-service', 'iis-reset', 'recycle-app-pool'])
      expect(kinds).not.toContain(restart);
  });
});
