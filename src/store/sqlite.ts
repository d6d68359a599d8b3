/**
 * The embedded database: SQLite compiled to WebAssembly (node-sqlite3-wasm, no native build, no
 * install script), one file in the data folder. It opens in milliseconds and keeps a few MB,
 * where PGlite kept about 110 MiB of WebAssembly heap whatever it was told (docs/lighter.md).
 *
 * SQLite here is one connection used synchronously. The store awaits between statements, so
 * without care another caller's statement could land inside an open transaction: every
 * statement and every transaction therefore takes its turn in one queue.
 */
import { existsSync, rmSync } from 'node:fs';
import type { Database as SqliteDatabase, SQLiteValue } from 'node-sqlite3-wasm';
import sqlite3 from 'node-sqlite3-wasm';
import { StoreError } from '../core/index.ts';
import { sqliteDialect } from './dialect.ts';
import type { Sql, SqlResult } from './sql.ts';

/** A statement that hands rows back (rather than a count of changed rows). */
const RETURNS_ROWS = /^\s*(select|with|pragma)\b|\breturning\b/i;

function bindable(value: unknown): SQLiteValue | boolean {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return value;
  throw new TypeError(`cannot bind a ${typeof value} to an SQLite statement`);
}

/** Gives I/O its turn between statements, as the PGlite driver does (they are synchronous). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SqliteOptions {
  /** Create the file if it is missing (else opening a missing file fails). */
  readonly create: boolean;
}

/**
 * Opens (or creates) the database file. The caller holds the data folder's lock; `release` runs
 * on close. WAL with exclusive locking: commits are appends without an fsync each (a crash of the
 * process loses nothing; a power cut may lose the last commits), and no shared memory is needed.
 */
export function openSqliteFile(
  file: string,
  release: () => Promise<void>,
  options: SqliteOptions = { create: true },
): Sql {
  let db: SqliteDatabase;
  try {
    if (!options.create && !existsSync(file)) throw new Error('no such file');
    // node-sqlite3-wasm locks a file by making the folder `<file>.lock`, which a process killed
    // while holding it leaves behind: the database would stay "locked" for good. The caller holds
    // the data folder's lock file (taken over only from a dead process), so no live process
    // holds this one: it is removed before opening.
    rmSync(`${file}.lock`, { recursive: true, force: true });
    db = new sqlite3.Database(file);
    db.exec(
      'pragma locking_mode = exclusive; pragma journal_mode = wal; pragma synchronous = normal; pragma foreign_keys = on',
    );
  } catch (err) {
    throw new StoreError(
      'unavailable',
      `could not open the embedded database ${file}: ${err instanceof Error ? err.message : String(err)}`,
      {},
      { cause: err },
    );
  }

  const run = <T>(text: string, params: readonly unknown[]): SqlResult<T> => {
    const sql = sqliteDialect.placeholders(text);
    const values = params.map(bindable);
    if (RETURNS_ROWS.test(sql)) {
      const rows = db.all(sql, values) as T[];
      return { rows, rowCount: rows.length };
    }
    return { rows: [], rowCount: db.run(sql, values).changes };
  };

  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };

  let closed = false;
  return {
    description: `embedded database (SQLite) in ${file}`,
    dialect: sqliteDialect,
    query: <T>(text: string, params: readonly unknown[] = []) =>
      inTurn(async () => {
        await turn();
        return run<T>(text, params);
      }),
    transaction: (work) =>
      inTurn(async () => {
        await turn();
        db.exec('begin immediate');
        try {
          const result = await work({
            query: async <T>(text: string, params: readonly unknown[] = []) => run<T>(text, params),
          });
          db.exec('commit');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('rollback');
          throw err;
        }
      }),
    close: () =>
      inTurn(async () => {
        if (closed) return;
        closed = true;
        try {
          db.close();
        } finally {
          await release();
        }
      }),
  };
}
