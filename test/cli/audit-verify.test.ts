/**
 * `healthbot audit verify` as an operator runs it (issue 18, fault 10): the key generated on first
 * start beside the data directory, the anchor the bot appends when an incident closes, anchors
 * given on the command line, and the report of the first broken record, of records missing since
 * the last anchor and of an unkeyed chain.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/core/index.ts';
import { GENESIS_HASH, hashRecord } from '../../src/store/index.ts';
import { openEmbedded } from '../../src/store/embedded.ts';
import { runCliProcess } from './cli-process.ts';
import { runCli } from '../../src/cli.ts';
import { removeDataDir } from '../support/data-dirs.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDataDir));

async function sql<T>(data: string, run: (q: Awaited<ReturnType<typeof openEmbedded>>) => Promise<T>): Promise<T> {
  const db = await openEmbedded(data, { lockTimeoutMs: 30_000 });
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

describe('healthbot audit verify', () => {
  it(
    'detects deleted newest records against the anchor written at the incident close, or one typed on the command line, and reports an unkeyed chain',
    { timeout: 240_000 },
    async () => {
      const data = mkdtempSync(join(tmpdir(), 'healthbot-audit-'));
      dirs.push(data);
      const cli = (...args: string[]) => runCliProcess([...args, '--data', data]);

      // A whole incident, to its close: the bot appends an anchor to <data>.audit-anchors.
      const asked = (await cli('ask', 'imap on server1', '--as', 'alice', '--json')).json<{
        actions: { id: string; label: string }[];
      }>();
      const restart = asked.actions.find((a) => a.label === 'Restart MSExchangeIMAP4BE on MBX1')!;
      const approvalId = (await cli('click', restart.id, '--as', 'alice', '--json')).json<{ approvalId: string }>()
        .approvalId;
      expect((await cli('approve', approvalId, '--as', 'bob', '--json')).json()).toMatchObject({
        ok: true,
        status: 'resolved',
      });

      // The key was generated on first start, beside the data directory, readable by its owner only.
      expect(statSync(`${data}.audit-key`).mode & 0o777).toBe(0o600);
      const anchors = readFileSync(`${data}.audit-anchors`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { seq: number; hash: string; reason: string });
      expect(anchors.at(-1)).toMatchObject({
        reason: 'incident-closed',
        seq: expect.any(Number),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const last = anchors.at(-1)!;

      const intact = await cli('audit', 'verify');
      expect(intact.code, intact.stderr).toBe(0);
      expect(intact.stdout).toMatch(
        new RegExp(`audit trail intact: ${last.seq} records, chain verified with key [0-9a-f]{16}`),
      );
      expect(intact.stdout).toMatch(new RegExp(`last anchor: record ${last.seq} at `));

      // Someone with the database moves a record to another incident: `audit export --incident`
      // would now show it there, and verify names it. Put back, the trail verifies again.
      const moved = await sql(
        data,
        async (q) =>
          (
            await q.query<{ seq: number; incident_id: string }>(
              "select seq, incident_id from healthbot_audit where type = 'approval-decided'",
            )
          ).rows[0]!,
      );
      await sql(data, (q) =>
        q.query("update healthbot_audit set incident_id = 'another-incident' where seq = $1", [moved.seq]),
      );
      const movedOut = await cli('audit', 'verify');
      expect(movedOut.code).toBe(1);
      expect(movedOut.stderr).toMatch(
        new RegExp(`first broken record ${moved.seq} .*\\n  record ${moved.seq}: content does not match its MAC`),
      );
      await sql(data, (q) =>
        q.query('update healthbot_audit set incident_id = $2 where seq = $1', [moved.seq, moved.incident_id]),
      );
      expect((await cli('audit', 'verify')).code).toBe(0);

      // Someone with the database deletes the newest three records.
      await sql(data, (q) => q.query('delete from healthbot_audit where seq > $1', [last.seq - 3]));
      const truncated = await cli('audit', 'verify');
      expect(truncated.code).toBe(1);
      expect(truncated.stderr).toMatch(new RegExp(`audit trail BROKEN: first broken record ${last.seq - 2}`));
      expect(truncated.stderr).toMatch(
        new RegExp(`missing since the last anchor: records ${last.seq - 2} to ${last.seq}`),
      );

      // The same from an anchor copied out of the chat thread, with no anchor file at all.
      const noFile = join(data, 'no-anchors.jsonl');
      const typed = await cli('audit', 'verify', '--anchors', noFile, '--anchor', `${last.seq}:${last.hash}`, '--json');
      expect(typed.code).toBe(1);
      expect(typed.json()).toMatchObject({
        ok: false,
        firstBroken: last.seq - 2,
        missingSinceAnchor: { from: last.seq - 2, to: last.seq },
      });
      // Without any anchor the shorter trail cannot be told from a quiet day, and verify says so.
      const blind = await cli('audit', 'verify', '--anchors', noFile);
      expect(blind.code).toBe(0);
      expect(blind.stdout).toMatch(/note: no anchors .* records deleted from the end would not show/);
      expect((await cli('audit', 'verify', '--anchor', 'nonsense')).code).toBe(2);

      // Everything re-hashed with the old, unkeyed function: reported as an unkeyed chain, and
      // broken against the anchor.
      await sql(data, async (q) => {
        type Stored = { actor?: AuditEntry['actor']; data: Record<string, unknown> };
        const raw = (
          await q.query<{ seq: number; at: string; type: string; incident_id: string | null; record: Stored | string }>(
            'select seq, at, type, incident_id, record from healthbot_audit order by seq',
          )
        ).rows;
        // SQLite keeps JSON as text; PostgreSQL hands it back parsed.
        const rows = raw.map((r) => ({
          ...r,
          record: typeof r.record === 'string' ? (JSON.parse(r.record) as Stored) : r.record,
        }));
        let prevHash = GENESIS_HASH;
        for (const r of rows) {
          const entry: AuditEntry = {
            type: r.type as AuditEntry['type'],
            at: r.at,
            ...(r.incident_id ? { incidentId: r.incident_id } : {}),
            ...(r.record.actor ? { actor: r.record.actor } : {}),
            data: r.record.data,
          };
          const hash = hashRecord(Number(r.seq), prevHash, entry);
          await q.query('update healthbot_audit set key_id = null, prev_hash = $2, hash = $3 where seq = $1', [
            r.seq,
            prevHash,
            hash,
          ]);
          prevHash = hash;
        }
      });
      writeFileSync(noFile, '');
      const downgraded = await cli('audit', 'verify', '--anchors', noFile);
      expect(downgraded.code).toBe(0);
      expect(downgraded.stdout).toMatch(
        new RegExp(`warning: records 1 to ${last.seq - 3} \\(${last.seq - 3}\\) are unkeyed`),
      );
      expect((await cli('audit', 'verify')).code).toBe(1);
    },
  );

  it('doctor says where the key and the anchors are, and never prints the key', { timeout: 60_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'healthbot-audit-'));
    dirs.push(data);
    const io = () => {
      let out = '';
      return { io: { out: (t: string) => (out += t), err: (t: string) => (out += t) }, text: () => out };
    };
    const before = io();
    await runCli(['doctor', '--data', data], before.io);
    expect(before.text()).toContain(
      `audit: no key yet; the bot generates ${data}.audit-key (mode 0600) on first start`,
    );
    expect(before.text()).toContain(`audit anchors: none yet in ${data}.audit-anchors`);
    writeFileSync(`${data}.audit-key`, `${'k'.repeat(64)}\n`, { mode: 0o644 });
    writeFileSync(
      `${data}.audit-anchors`,
      `${JSON.stringify({ seq: 7, hash: 'a'.repeat(64), at: '2026-11-24T14:00:00.000Z', reason: 'periodic' })}\n`,
    );
    const after = io();
    await runCli(['doctor', '--data', data], after.io);
    expect(after.text()).toMatch(new RegExp(`audit: key file ${data}\\.audit-key \\(id [0-9a-f]{16}\\)`));
    expect(after.text()).toContain('can be read by other users; make it 0600');
    expect(after.text()).toContain('(1, the last names record 7 at 2026-11-24T14:00:00.000Z)');
    expect(after.text()).not.toContain('k'.repeat(64));
  });

  it('says the key is missing instead of making a new one', { timeout: 120_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'healthbot-audit-'));
    dirs.push(data);
    await runCliProcess(['ask', 'imap on server1', '--as', 'alice', '--data', data]);
    rmSync(`${data}.audit-key`);
    const verified = await runCliProcess(['audit', 'verify', '--data', data]);
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(/cannot check the keyed records: no audit key/);
    expect(existsSync(`${data}.audit-key`)).toBe(false);
  });
});
