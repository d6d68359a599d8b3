/**
 * The issue's rehearsal, as an operator would type it: every command its own process, sharing one
 * data directory, so nothing carries over except through the embedded database and the lab state.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbedded } from '../../src/store/embedded.ts';
import { runCliProcess } from './cli-process.ts';
import { removeDataDir } from '../support/data-dirs.ts';

interface Action {
  id: string;
  label: string;
  requiresApproval: boolean;
}

const dirs: string[] = [];
// The audit key and the anchor file live beside the data directory.
afterAll(() => dirs.forEach(removeDataDir));
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'healthbot-cli-'));
  dirs.push(dir);
  return dir;
};

describe('the CLI rehearsal in separate processes on the embedded database', () => {
  it(
    'ask, request, self-approval refused, second person approves, verified and exported; a tampered trail fails verify',
    { timeout: 120_000 },
    async () => {
      const data = dataDir();
      const cli = (...args: string[]) => runCliProcess([...args, '--data', data, '--json']);

      const asked = await cli('ask', "what's wrong with IMAP on server1?", '--as', 'alice');
      expect(asked.code).toBe(0);
      const diagnosis = asked.json<{ status: string; actions: Action[] }>();
      expect(diagnosis.status).toBe('confirmed');
      const restart = diagnosis.actions.find((a) => a.label === 'Restart MSExchangeIMAP4BE on MBX1')!;
      expect(restart.requiresApproval).toBe(true);

      const clicked = await cli('click', restart.id, '--as', 'alice');
      expect(clicked.code).toBe(0);
      const approvalId = clicked.json<{ approvalId: string }>().approvalId;
      expect(approvalId).toMatch(/[0-9a-f-]{36}/);

      const own = await cli('approve', approvalId, '--as', 'alice');
      expect(own.code).toBe(1);
      expect(own.json()).toMatchObject({ ok: false, reason: 'own-request' });

      const listed = await cli('approvals', '--as', 'carol');
      expect(listed.json<{ id: string; state: string }[]>()).toEqual([
        expect.objectContaining({ id: approvalId, state: 'pending' }),
      ]);

      const approved = await cli('approve', approvalId, '--as', 'bob');
      expect(approved.code).toBe(0);
      expect(approved.json()).toMatchObject({ ok: true, approval: { state: 'succeeded' }, status: 'resolved' });

      const verified = await runCliProcess(['audit', 'verify', '--data', data]);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/audit trail intact: \d+ records/);

      const exported = await runCliProcess(['audit', 'export', '--data', data]);
      expect(exported.code).toBe(0);
      for (const line of [
        /Alice asked: “what's wrong with IMAP on server1\?”/,
        /Probe IMAP\\ImapCTPProbe on SERVER1: Failed/,
        /Alice requested approval for Restart MSExchangeIMAP4BE on MBX1/,
        /Bob: request now approved/,
        /Started Restart MSExchangeIMAP4BE on MBX1, approved by Bob/,
        /Finished \(done\): MSExchangeIMAP4BE restarted on MBX1/,
        /Probe IMAP\\ImapCTPProbe on SERVER1: Succeeded/,
        /Diagnosis on SERVER1: resolved/,
      ])
        expect(exported.stdout).toMatch(line);
      // The order a support engineer reads it in: the fresh probe comes after the restart.
      expect(exported.stdout.indexOf('Finished (done)')).toBeLessThan(
        exported.stdout.indexOf('ImapCTPProbe on SERVER1: Succeeded'),
      );

      // Someone with access to the database rewrites who approved: verify must notice and fail.
      const sql = await openEmbedded(data, { lockTimeoutMs: 10_000 });
      try {
        const changed = await sql.query(
          `update healthbot_audit set record = json_set(record, '$.actor.displayName', 'Alice') where type = 'approval-decided'`,
        );
        expect(changed.rowCount).toBe(1);
      } finally {
        await sql.close();
      }
      const tampered = await runCliProcess(['audit', 'verify', '--data', data]);
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toMatch(/audit trail BROKEN/);
    },
  );

  it('a refusal exits non-zero with the reason in words, also without --json', { timeout: 60_000 }, async () => {
    const data = dataDir();
    const unknown = await runCliProcess([
      'approve',
      '00000000-0000-4000-8000-000000000000',
      '--as',
      'bob',
      '--data',
      data,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^refused: /);
    const stranger = await runCliProcess(['ask', 'imap on server1', '--as', 'mallory', '--data', data]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/--as mallory: no such persona\. Known personas: alice, bob, carol, dave/);
  });
});
