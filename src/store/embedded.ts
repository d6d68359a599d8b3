/**
 * The embedded database in a data folder: SQLite (healthbot.sqlite) by default. A folder that an
 * earlier version filled with PGlite (db/) is imported into SQLite once, on the first open, and
 * the PGlite folder is kept beside it, renamed, untouched. PGlite can still be asked for by name
 * (the store's tests run the contract on it, and the import reads it).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedLockOptions } from './embedded-lock.ts';
import { lockDirectory } from './embedded-lock.ts';
import type { Sql } from './sql.ts';
import { openSqliteFile } from './sqlite.ts';

export type EmbeddedEngine = 'sqlite' | 'pglite';

export const sqliteFile = (dataDir: string) => join(dataDir, 'healthbot.sqlite');
/** Where earlier versions kept PGlite's database (see pglite.ts). */
export const pgliteFolder = (dataDir: string) => join(dataDir, 'db');
const holdsPglite = (dataDir: string) => existsSync(join(pgliteFolder(dataDir), 'PG_VERSION'));

export async function openEmbedded(
  dataDir: string,
  options: EmbeddedLockOptions & { readonly engine?: EmbeddedEngine },
): Promise<Sql> {
  // Loaded only when asked for: PGlite's WebAssembly is what SQLite replaced.
  if (options.engine === 'pglite') return (await import('./pglite.ts')).openPglite(dataDir, options);
  mkdirSync(dataDir, { recursive: true });
  const unlock = await lockDirectory(dataDir, options);
  try {
    const file = sqliteFile(dataDir);
    if (!existsSync(file) && holdsPglite(dataDir))
      await (await import('./pglite-import.ts')).importPglite(dataDir, file);
    return openSqliteFile(file, unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}
