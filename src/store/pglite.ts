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
import { PGLITE_START_PARAMS, seedFromTemplate } from './pglite-template.ts';
import type { Sql } from './sql.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the embedded database: the bot keeps it for good, a CLI command for seconds. */
export type LockHolder = 'bot' | 'cli';

export interface PgliteOptions {
  /** How long to wait for a CLI command that holds the database. */
  readonly lockTimeoutMs: number;
  readonly holder?: LockHolder;
}

function readLock(text: string): { pid: number; holder: LockHolder } {
  const [pid, holder] = text.trim().split(/\s+/);
  return { pid: Number(pid), holder: holder === 'cli' ? 'cli' : 'bot' };
}

async function lockDirectory(dir: string, options: PgliteOptions): Promise<() => Promise<void>> {
  const lock = join(dir, 'healthbot.lock');
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(`${process.pid} ${options.holder ?? 'bot'}`);
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readLock(await readFile(lock, 'utf8').catch(() => ''));
      // An empty file is a lock another process is still writing: wait for it like any holder.
      // Our own pid counts as held too: PGlite must not be opened twice on one directory.
      if (owner.pid && !alive(owner.pid)) {
        await rm(lock, { force: true }); // left behind by a process that died
        continue;
      }
      // A CLI command lets go within seconds, so waiting is worth it; a bot never lets go.
      const waitFor = owner.pid && owner.holder === 'bot' ? Math.min(options.lockTimeoutMs, 5_000) : options.lockTimeoutMs;
      if (Date.now() - started >= waitFor)
        throw new StoreError(
          'locked',
          owner.holder === 'bot' && owner.pid
            ? `the embedded database in ${dir} is in use by the bot (process ${owner.pid}). Stop it first, or set DATABASE_URL so the bot and the CLI share PostgreSQL.`
            : `the embedded database in ${dir} is in use by process ${owner.pid || 'starting up'}. Wait for it to finish, or set DATABASE_URL so several processes share PostgreSQL.`,
          { pid: owner.pid },
        );
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

/**
 * PGlite runs each query synchronously on this thread and resolves at once, so a chain of awaited
 * queries never gives the event loop back: under load, incoming requests (a chat platform's
 * 3-second acknowledgement) would wait behind dozens of diagnoses' writes. Every query first
 * waits for the next turn of the loop, so I/O gets in between.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function openPglite(dataDir: string, options: PgliteOptions): Promise<Sql> {
  const dir = join(dataDir, 'db');
  mkdirSync(dir, { recursive: true });
  const unlock = await lockDirectory(dataDir, options);
  let db: PGlite;
  try {
    seedFromTemplate(dir);
    db = await PGlite.create({ dataDir: dir, startParams: [...PGLITE_START_PARAMS] });
  } catch (err) {
    await unlock();
    throw new StoreError('unavailable', `could not open the embedded database in ${dir}: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
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
