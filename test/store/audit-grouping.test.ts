/**
 * Appends to the audit chain that arrive together share one exclusive lock (issue 20): the SQL
 * store is driven over a recording stand-in for the database, which counts the lock statements
 * and keeps the rows. The chain written in groups must verify with the key, and a changed record
 * must still be caught.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, AuditRecord } from '../../src/core/index.ts';
import { auditKey, verifyAuditChain } from '../../src/store/index.ts';
import type { Sql, SqlResult } from '../../src/store/sql.ts';
import { createSqlStore } from '../../src/store/sql.ts';

const KEY = auditKey('audit-grouping-test-key-0123456789abcdef');
const alice: Actor = { platform: 'lab', userId: 'alice', displayName: 'Alice' };

interface Row {
  seq: number;
  at: string;
  type: string;
  incident_id: string | null;
  prev_hash: string;
  hash: string;
  key_id: string | null;
  record: string;
}

/** Just enough of PostgreSQL for the audit statements: a table, its head, multi-row inserts. */
function recordingSql(options: { failNextInsert?: boolean } = {}) {
  const rows: Row[] = [];
  let locks = 0;
  let fail = options.failNextInsert ?? false;
  const query = async <T>(text: string, params: readonly unknown[] = []): Promise<SqlResult<T>> => {
    if (text.startsWith('lock table healthbot_audit')) locks++;
    else if (text.startsWith('select seq, hash from healthbot_audit'))
      return { rows: rows.slice(-1) as T[], rowCount: Math.min(1, rows.length) };
    else if (text.startsWith('insert into healthbot_audit')) {
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
      for (let i = 0; i < params.length; i += 8) {
        const [seq, at, type, incident, prev, hash, keyId, record] = params.slice(i, i + 8) as [
          number,
          string,
          string,
          string | null,
          string,
          string,
          string | null,
          string,
        ];
        rows.push({ seq, at, type, incident_id: incident, prev_hash: prev, hash, key_id: keyId, record });
      }
    } else if (text.startsWith('select seq, at')) return { rows: [...rows] as T[], rowCount: rows.length };
    return { rows: [], rowCount: 0 };
  };
  const sql: Sql = {
    description: 'recording stand-in',
    query,
    // Rows written inside a failed transaction are taken back, as a rollback would.
    async transaction(work) {
      const before = rows.length;
      try {
        return await work({ query });
      } catch (err) {
        rows.length = before;
        throw err;
      }
    },
    close: async () => {},
  };
  return { sql, rows, locks: () => locks };
}

const entry = (i: number) => ({
  type: 'probe' as const,
  at: new Date(Date.UTC(2026, 10, 30, 9, 0, i)).toISOString(),
  incidentId: `inc-${i % 3}`,
  actor: alice,
  data: { i },
});

describe('audit appends made together', () => {
  it('take one lock for the group, and the chain they form verifies', async () => {
    const db = recordingSql();
    const store = createSqlStore(db.sql, { auditKey: KEY });
    const written = await Promise.all(Array.from({ length: 10 }, (_, i) => store.appendAudit(entry(i))));
    expect(db.locks()).toBe(1);
    expect(written.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Each caller gets its own record back, chained to the one before it.
    written.forEach((r, i) => expect(r.data).toEqual({ i }));
    const read = await store.readAudit();
    expect(verifyAuditChain(read, { key: KEY }).ok).toBe(true);
  });

  it('still chain onto what an earlier group wrote', async () => {
    const db = recordingSql();
    const store = createSqlStore(db.sql, { auditKey: KEY });
    await Promise.all([0, 1, 2].map((i) => store.appendAudit(entry(i))));
    const later = await Promise.all([3, 4].map((i) => store.appendAudit(entry(i))));
    expect(later.map((r) => r.seq)).toEqual([4, 5]);
    expect(db.locks()).toBe(2);
    expect(verifyAuditChain(await store.readAudit(), { key: KEY }).ok).toBe(true);
  });

  it('a changed record in a grouped chain is caught', async () => {
    const db = recordingSql();
    const store = createSqlStore(db.sql, { auditKey: KEY });
    await Promise.all(Array.from({ length: 6 }, (_, i) => store.appendAudit(entry(i))));
    db.rows[3]!.record = JSON.stringify({ actor: alice, data: { i: 99 } });
    const verdict = verifyAuditChain(await store.readAudit(), { key: KEY });
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toBe(4);
  });

  it('a failed group fails every append in it, writes none of them, and the next group goes on from the head', async () => {
    const db = recordingSql({ failNextInsert: true });
    const store = createSqlStore(db.sql, { auditKey: KEY });
    const outcomes = await Promise.allSettled([0, 1, 2].map((i) => store.appendAudit(entry(i))));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(db.rows).toHaveLength(0);
    const next: AuditRecord = await store.appendAudit(entry(3));
    expect(next.seq).toBe(1);
    expect(verifyAuditChain(await store.readAudit(), { key: KEY }).ok).toBe(true);
  });
});
