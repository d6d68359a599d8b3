/**
 * The embedded database: PGlite (PostgreSQL in WebAssembly) in a directory under the data dir.
 * PGlite is one connection inside one process; two processes opening the same directory would
 * corrupt it, so a lock file with the owner's pid guards it.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { StoreError } from '../core/index.ts';
import { pgliteFolder } from './embedded.ts';
import type { EmbeddedLockOptions } from './embedded-lock.ts';
import { lockDirectory } from './embedded-lock.ts';
import { PGLITE_START_PARAMS, seedFromTemplate } from './pglite-template.ts';
import type { Sql } from './sql.ts';

/**
 * PGlite runs each query synchronously on this thread and resolves at once, so a chain of awaited
 * queries never gives the event loop back: under load, incoming requests (a chat platform's
 * 3-second acknowledgement) would wait behind dozens of diagnoses' writes. Every query first
 * waits for the next turn of the loop, so I/O gets in between.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function openPglite(dataDir: string, options: EmbeddedLockOptions): Promise<Sql> {
  const unlock = await lockDirectory(dataDir, options);
  try {
    return await startPglite(dataDir, unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** Opens PGlite in a data folder whose lock the caller holds; `unlock` runs on close. */
export async function startPglite(dataDir: string, unlock: () => Promise<void>): Promise<Sql> {
  const dir = pgliteFolder(dataDir);
  mkdirSync(dir, { recursive: true });
  let db: PGlite;
  try {
    seedFromTemplate(dir);
    db = await PGlite.create({ dataDir: dir, startParams: [...PGLITE_START_PARAMS] });
  } catch (err) {
    throw new StoreError(
      'unavailable',
      `could not open the embedded database in ${dir}: ${err instanceof Error ? err.message : String(err)}`,
      {},
      { cause: err },
    );
  }
  const query: Sql['query'] = async <T>(text: string, params: readonly unknown[] = []) => {
    await turn();
    const r = await db.query<T>(text, [...params]);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  };
  return {
    description: `embedded database (PGlite) in ${dir}`,
    query,
    transaction: (work) =>
      db.transaction(async (tx) =>
        work({
          query: async <T>(text: string, params: readonly unknown[] = []) => {
            await turn();
            const r = await tx.query<T>(text, [...params]);
            return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
          },
        }),
      ),
    async close() {
      try {
        await db.close();
      } finally {
        await unlock();
      }
    },
  };
}
