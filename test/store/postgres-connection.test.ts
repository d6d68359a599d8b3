/**
 * PostgreSQL drops a connection (an administrator, a failover, a cut network): it costs the
 * request in flight, reported as a store error, never the process; the pool recovers by itself.
 * The cut is real: pg_terminate_backend from an administrator connection in the middle of a
 * transaction, while the transaction's client sits between two statements (where pg emits
 * 'error' on the checked-out client; before the fix nobody listened and Node ended the process).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/index.ts';
import type { Store } from '../../src/core/index.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import type { Sql } from '../../src/store/sql.ts';
import { createSqlStore, migrate } from '../../src/store/sql.ts';
import { missingPrerequisite, testDatabaseUrl } from '../support/prerequisites.ts';
import { CONTRACT_AUDIT_KEY } from './contract.ts';

const url = testDatabaseUrl();

describe('PostgreSQL connections cut under the store', () => {
  if (!url) {
    missingPrerequisite('needs TEST_DATABASE_URL (a PostgreSQL server) to run');
    return;
  }
  const schema = `hb_cut_${process.pid}_${Date.now().toString(36)}`;
  let sql: Sql;
  let store: Store;
  let admin: pg.Client;
  beforeAll(async () => {
    sql = await openPostgres(url, { schema });
    await migrate(sql);
    store = createSqlStore(sql, { auditKey: CONTRACT_AUDIT_KEY });
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query(`drop schema if exists ${schema} cascade`);
    await admin?.end();
    await store?.close();
  });

  /** Terminates a backend and waits until PostgreSQL reports it gone. */
  async function cut(pid: number): Promise<void> {
    await admin.query('select pg_terminate_backend($1)', [pid]);
    for (;;) {
      const left = await admin.query('select 1 from pg_stat_activity where pid = $1', [pid]);
      if (left.rowCount === 0) return;
    }
  }

  it('fails only the transaction in flight, with a store error, when its backend is terminated between statements', async () => {
    for (let round = 0; round < 5; round++) {
      const inFlight = store
        .appendAudit({ type: 'command', at: new Date().toISOString(), data: { round } })
        .then(() => 'written');
      // A transaction of our own, cut while it waits between two statements.
      const cutOne = sql.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
        await cut(rows[0]!.pid);
        return tx.query('select 1');
      });
      await expect(cutOne).rejects.toBeInstanceOf(Error);
      expect(await inFlight).toBe('written');
    }
    // The store answers again on fresh connections: the pool recovered without help.
    expect(await store.health()).toMatchObject({ ok: true });
    const record = await store.appendAudit({ type: 'command', at: new Date().toISOString(), data: { after: 'cuts' } });
    expect(record.data).toEqual({ after: 'cuts' });
  });

  it('reports the lost connection as a store error through the store', async () => {
    const inc = `inc-${Date.now().toString(36)}`;
    // appendAudit runs in a transaction: hold the audit table's lock elsewhere so it waits, then cut it there.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    await locker.query(`begin; lock table ${schema}.healthbot_audit in exclusive mode`);
    const write = store.appendAudit({ type: 'command', at: new Date().toISOString(), incidentId: inc, data: {} }).then(
      () => 'written',
      (err: unknown) => err,
    );
    // Wait until the write's transaction is blocked on the lock, then cut it there.
    let pid: number | undefined;
    while (pid === undefined) {
      const r = await admin.query<{ pid: number }>(
        "select pid from pg_stat_activity where wait_event_type = 'Lock' and query like 'lock table healthbot_audit%'",
      );
      pid = r.rows[0]?.pid;
    }
    await cut(pid);
    await locker.query('rollback');
    await locker.end();
    const failure = await write;
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({ code: 'unavailable' });
    expect((await store.readAudit({ incidentId: inc })).length).toBe(0);
    expect(await store.health()).toMatchObject({ ok: true });
  });
});
