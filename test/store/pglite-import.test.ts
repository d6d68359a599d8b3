/**
 * A data folder filled by PGlite (the embedded store before issue 20) is imported into SQLite on
 * the first open, once: incidents, approvals, actions, values, timers, claimed events and the
 * audit chain come across intact, and the chain still verifies with the key. A failed import
 * leaves PGlite's folder as it was and writes no SQLite file, so the next start tries again.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/index.ts';
import { openStore, verifyAuditChain } from '../../src/store/index.ts';
import { pgliteFolder, sqliteFile } from '../../src/store/embedded.ts';
import { importedPgliteFolder } from '../../src/store/pglite-import.ts';
import { approval, CONTRACT_AUDIT_KEY as KEY, incident } from './contract.ts';

const alice: Actor = { platform: 'lab', userId: 'alice', displayName: 'Alice' };
const inc = incident();
const apr = { ...approval(inc.id), messageRef: 'card-1' };

/** A data folder as an earlier version left it: PGlite, with a bit of everything in it. */
async function pgliteFolderWithData(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hb-import-'));
  const old = await openStore({ dataDir: dir, auditKey: KEY, embedded: 'pglite' });
  await old.insertIncident(inc);
  await old.insertApproval(apr);
  await old.insertActions([
    {
      id: 'act-1',
      incidentId: inc.id,
      command: { kind: 'rerun', incidentId: inc.id } as never,
      createdAt: '2026-11-24T14:00:00.000Z',
    },
  ]);
  await old.putValue('alerts:open:SERVER1', { owner: 'bot', nested: { b: 2, a: 1 } });
  await old.claimEvent('slack:ev-1', new Date('2026-11-24T14:00:00.000Z'));
  await old.scheduleTimer({
    id: 'timer-1',
    incidentId: inc.id,
    dueAt: '2026-11-24T14:05:00.000Z',
    payload: { type: 'expire', approvalId: apr.id },
  });
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      old.appendAudit({
        type: 'probe',
        at: new Date(Date.UTC(2026, 10, 24, 14, 0, i)).toISOString(),
        incidentId: inc.id,
        actor: alice,
        data: { i, text: 'ä "q"' },
      }),
    ),
  );
  await old.close();
  return dir;
}

describe('a data folder from PGlite', { timeout: 180_000 }, () => {
  let dir: string;
  let before: Awaited<ReturnType<Awaited<ReturnType<typeof openStore>>['readAudit']>>;
  beforeAll(async () => {
    dir = await pgliteFolderWithData();
    const old = await openStore({ dataDir: dir, auditKey: KEY, embedded: 'pglite' });
    before = await old.readAudit();
    await old.close();
  }, 180_000);

  it('is imported into SQLite on the first open, everything intact and the audit chain verifying', async () => {
    const store = await openStore({ dataDir: dir, auditKey: KEY });
    expect(existsSync(sqliteFile(dir))).toBe(true);
    expect(existsSync(pgliteFolder(dir))).toBe(false);
    expect(existsSync(join(importedPgliteFolder(dir), 'PG_VERSION'))).toBe(true);
    expect(await store.getIncident(inc.id)).toEqual(inc);
    expect(await store.getApproval(apr.id)).toEqual(apr);
    expect(await store.getAction('act-1')).toMatchObject({ id: 'act-1', incidentId: inc.id });
    expect(await store.claimEvent('slack:ev-1', new Date())).toBe(false);
    // The compare still works on an imported value, whatever its key order.
    expect(
      await store.swapValue('alerts:open:SERVER1', { nested: { a: 1, b: 2 }, owner: 'bot' }, { owner: 'next' }),
    ).toBe(true);
    expect((await store.claimDueTimers(new Date('2026-11-24T14:06:00.000Z'), 10, 60_000)).map((t) => t.id)).toEqual([
      'timer-1',
    ]);
    const after = await store.readAudit();
    expect(after).toEqual(before);
    expect(verifyAuditChain(after, { key: KEY })).toMatchObject({ ok: true, problems: [] });
    // The chain goes on from the imported head.
    const next = await store.appendAudit({ type: 'command', at: '2026-11-24T15:00:00.000Z', actor: alice, data: {} });
    expect(next.seq).toBe(before.length + 1);
    await store.close();
  });

  it('is imported only once: the next open is SQLite with what was written since', async () => {
    const store = await openStore({ dataDir: dir, auditKey: KEY });
    const all = await store.readAudit();
    expect(all).toHaveLength(before.length + 1);
    expect(verifyAuditChain(all, { key: KEY }).ok).toBe(true);
    expect(await store.getValue('alerts:open:SERVER1')).toEqual({ owner: 'next' });
    await store.close();
  });
});

it(
  'a failed import leaves the PGlite folder as it was, writes no SQLite file, and is tried again on the next open',
  { timeout: 180_000 },
  async () => {
    const dir = await pgliteFolderWithData();
    // Something in the way of the side file the import writes first.
    const obstacle = `${sqliteFile(dir)}.importing`;
    mkdirSync(obstacle);
    writeFileSync(join(obstacle, 'x'), '');
    await expect(openStore({ dataDir: dir, auditKey: KEY })).rejects.toThrow();
    expect(existsSync(sqliteFile(dir))).toBe(false);
    expect(existsSync(join(pgliteFolder(dir), 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dir, 'healthbot.lock'))).toBe(false);
    rmSync(obstacle, { recursive: true });
    const store = await openStore({ dataDir: dir, auditKey: KEY });
    expect(await store.getApproval(apr.id)).toEqual(apr);
    expect(verifyAuditChain(await store.readAudit(), { key: KEY }).ok).toBe(true);
    await store.close();
  },
);
