/**
 * What differs between the two SQL engines the store speaks to: PostgreSQL (a server, or PGlite)
 * and SQLite (the embedded default). The store's statements are written once (sql.ts); the pieces
 * that are spelled differently come from here, so a difference lives in one place.
 *
 * Statements use `$1`-style placeholders in both; the SQLite driver rewrites them to `?1`, which
 * means the same (a numbered parameter that may be used more than once).
 */
import { canonicalJson } from '../core/index.ts';

export interface Dialect {
  readonly name: 'postgres' | 'sqlite';
  /** A JSON value as a statement parameter. */
  json(value: unknown): string;
  /** A parameter (or expression) holding JSON text, as a value for a JSON column. */
  jsonValue(expr: string): string;
  /** A list of strings as one statement parameter, for `inList`. */
  list(values: readonly string[]): unknown;
  /** ` = any(…)` / ` in (…)`: membership in the list passed as parameter `n`. */
  inList(n: number): string;
  /** Whether the JSON object in `expr` has the top-level key. */
  has(expr: string, key: string): string;
  /** The text at a path inside a JSON column (null when absent). */
  textAt(expr: string, ...path: string[]): string;
  /** The JSON in `target` with the text `value` stored at the path. */
  setText(target: string, path: readonly string[], value: string): string;
  /** The JSON in `target` with `source`'s value for the top-level key copied in. */
  copyKey(target: string, key: string, source: string): string;
  /** A row source `t(k, v)` pairing the lists passed as parameters `keys` and `values`. */
  pairs(keys: number, values: number): string;
  /** The current time as a stored value. */
  readonly now: string;
  /** Appended to ORDER BY on text: byte order, whatever the database's locale. */
  readonly byteOrder: string;
  /** Appended to a SELECT that claims rows other writers must skip. */
  readonly skipLocked: string;
  /** A statement that gives this transaction the table to itself, if the engine needs one. */
  lockTable(table: string): string | undefined;
  /** A statement that keeps two processes from migrating at once, if the engine needs one. */
  readonly migrationLock: string | undefined;
  /** A migration statement (written for PostgreSQL) as this engine spells it. */
  ddl(statement: string): string;
  /** Placeholders as this engine's driver wants them. */
  placeholders(text: string): string;
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  json: (value) => JSON.stringify(value),
  jsonValue: (expr) => `${expr}::jsonb`,
  list: (values) => [...values],
  inList: (n) => ` = any($${n}::text[])`,
  has: (expr, key) => `(${expr} ? '${key}')`,
  textAt: (expr, ...path) =>
    [expr, ...path.slice(0, -1).map((p) => `'${p}'`)].join('->') + `->>'${path[path.length - 1]}'`,
  setText: (target, path, value) => `jsonb_set(${target}, '{${path.join(',')}}', to_jsonb(${value}::text))`,
  copyKey: (target, key, source) => `jsonb_set(${target}, '{${key}}', ${source}->'${key}')`,
  pairs: (keys, values) => `unnest($${keys}::text[], $${values}::text[]) as t(k, v)`,
  now: 'now()',
  byteOrder: ' collate "C"',
  skipLocked: ' for update skip locked',
  lockTable: (table) => `lock table ${table} in exclusive mode`,
  migrationLock: 'select pg_advisory_xact_lock(424242)',
  ddl: (statement) => statement,
  placeholders: (text) => text,
};

/** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
const SQLITE_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  // JSON is kept as text, so equality is text equality: one spelling per value (sorted keys).
  json: (value) => canonicalJson(value),
  jsonValue: (expr) => expr,
  list: (values) => JSON.stringify(values),
  inList: (n) => ` in (select value from json_each($${n}))`,
  has: (expr, key) => `(json_type(${expr}, '$.${key}') is not null)`,
  textAt: (expr, ...path) => `(${expr} ->> '$.${path.join('.')}')`,
  setText: (target, path, value) => `json_set(${target}, '$.${path.join('.')}', ${value})`,
  copyKey: (target, key, source) => `json_set(${target}, '$.${key}', json(${source} -> '$.${key}'))`,
  pairs: (keys, values) =>
    `(select a.value as k, b.value as v from json_each($${keys}) a join json_each($${values}) b on a.key = b.key) as t`,
  now: SQLITE_NOW,
  byteOrder: '', // SQLite compares text by bytes unless told otherwise
  skipLocked: '', // one writer at a time: the transaction itself is exclusive
  lockTable: () => undefined,
  migrationLock: undefined, // the lock file keeps every other process out
  ddl: (statement) =>
    statement
      .replace(/\bjsonb\b/g, 'text')
      .replace(/\btimestamptz\b/g, 'text')
      .replace(/\bdefault now\(\)/g, `default (${SQLITE_NOW})`),
  placeholders: (text) => text.replace(/\$(\d+)/g, '?$1'),
};
