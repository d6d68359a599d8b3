/**
 * The embedded database: PGlite (PostgreSQL in WebAssembly) in a directory under the data dir.
 * PGlite is one connection inside one process; two processes opening the same directory would
 * corrupt it, so a lock file with the owner's pid guards it.
 */
import { mkdirSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { StoreError } from '../core/index.ts';
import type { Sql } from './sql.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function lockDirectory(dir: string, timeoutMs: number): Promise<() => Promise<void>> {
  const lock = join(dir, 'healthbot.lock');
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      // An empty file is a lock another process is still writing: wait for it like any holder.
      // Our own pid counts as held too: PGlite must not be opened twice on one directory.
      if (owner && !alive(owner)) {
        await rm(lock, { force: true }); // left behind by a process that died
        continue;
      }
      if (Date.now() - started >= timeoutMs)
        throw new StoreError(
          'locked',
          `the embedded database in ${dir} is in use by process ${owner || 'starting up'} (is the bot running?). Stop it, or set DATABASE_URL so several processes share PostgreSQL.`,
          { pid: owner },
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function openPglite(dataDir: string, lockTimeoutMs: number): Promise<Sql> {
  const dir = join(dataDir, 'db');
  mkdirSync(dir, { recursive: true });
  const unlock = await lockDirectory(dataDir, lockTimeoutMs);
  let db: PGlite;
  try {
    db = await PGlite.create(dir);
  } catch (err) {
    await unlock();
    throw new StoreError('unavailable', `could not open the embedded database in ${dir}: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
  }
  const query: Sql['query'] = async <T>(text: string, params: readonly unknown[] = []) => {
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
