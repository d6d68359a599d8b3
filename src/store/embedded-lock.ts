/**
 * The embedded database is one process's: two processes opening it at once would corrupt PGlite's
 * folder, and would break the SQLite store's guarantees (its transactions exclude writers only
 * within the process). A lock file in the data folder, holding the owner's pid, guards it.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../core/index.ts';

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

export interface EmbeddedLockOptions {
  /** How long to wait for a CLI command that holds the database. */
  readonly lockTimeoutMs: number;
  readonly holder?: LockHolder;
}

function readLock(text: string): { pid: number; holder: LockHolder } {
  const [pid, holder] = text.trim().split(/\s+/);
  return { pid: Number(pid), holder: holder === 'cli' ? 'cli' : 'bot' };
}

export async function lockDirectory(dir: string, options: EmbeddedLockOptions): Promise<() => Promise<void>> {
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
      // Our own pid counts as held too: the database must not be opened twice on one folder.
      if (owner.pid && !alive(owner.pid)) {
        await rm(lock, { force: true }); // left behind by a process that died
        continue;
      }
      // A CLI command lets go within seconds, so waiting is worth it; a bot never lets go.
      const waitFor =
        owner.pid && owner.holder === 'bot' ? Math.min(options.lockTimeoutMs, 5_000) : options.lockTimeoutMs;
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
