/**
 * PostgreSQL through `pg`: what several replicas share. A small pool; transactions take one
 * client for their whole length.
 */
import pg from 'pg';
import { StoreError } from '../core/index.ts';
import type { Sql } from './sql.ts';

import { redactUrl } from './redact.ts';

export async function openPostgres(url: string, options: { schema?: string } = {}): Promise<Sql> {
  if (options.schema && !/^[a-z_][a-z0-9_]*$/.test(options.schema))
    throw new StoreError('config', `invalid schema name ${options.schema}`);
  if (options.schema) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      // `create schema if not exists` races with itself in PostgreSQL (a unique violation when two
      // processes create the same schema at once), so creators take turns.
      await setup.query('begin');
      await setup.query('select pg_advisory_xact_lock(424243)');
      await setup.query(`create schema if not exists ${options.schema}`);
      await setup.query('commit');
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its connection emits 'error'; without a listener that kills the process.
  pool.on('error', () => {});
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end();
    throw new StoreError(
      'unavailable',
      `cannot reach PostgreSQL at ${redactUrl(url)}: ${err instanceof Error ? err.message : String(err)}`,
      {},
      { cause: err },
    );
  }
  const query: Sql['query'] = async <T>(text: string, params: readonly unknown[] = []) => {
    const r = await pool.query(text, [...params]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  };
  return {
    description: `PostgreSQL at ${redactUrl(url)}${options.schema ? ` (schema ${options.schema})` : ''}`,
    query,
    async transaction(work) {
      const client = await pool.connect();
      // The pool listens for errors on idle clients only. A checked-out client whose backend goes
      // away between two statements (pg_terminate_backend, a failover, a cut network) emits
      // 'error' with nobody listening, and Node ends the process. Here the error is kept: it
      // costs this transaction only, and the broken client is destroyed instead of pooled again.
      let lost: Error | undefined;
      let broken: Error | undefined;
      const onError = (err: Error) => {
        lost ??= err;
      };
      client.on('error', onError);
      const failIfLost = () => {
        if (lost)
          throw new StoreError(
            'unavailable',
            `the PostgreSQL connection was lost: ${lost.message}`,
            {},
            { cause: lost },
          );
      };
      try {
        await client.query('begin');
        const out = await work({
          query: async <T>(text: string, params: readonly unknown[] = []) => {
            failIfLost();
            const r = await client.query(text, [...params]);
            return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
          },
        });
        failIfLost();
        await client.query('commit');
        return out;
      } catch (err) {
        // A client that cannot even roll back is broken: it is destroyed, not pooled again.
        if (!lost)
          await client
            .query('rollback')
            .catch((e: unknown) => void (broken = e instanceof Error ? e : new Error(String(e))));
        throw err;
      } finally {
        client.off('error', onError);
        const destroy = lost ?? broken;
        // Keep a listener until the client is gone: a late 'error' from a dying socket must not end the process.
        if (destroy) client.on('error', () => {});
        client.release(destroy);
      }
    },
    close: () => pool.end(),
  };
}
