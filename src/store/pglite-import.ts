/**
 * Moves a data folder from PGlite (versions before issue 20) to SQLite, once. Every table is
 * copied row by row in one SQLite transaction into a side file, which is renamed into place only
 * when complete: a crash part-way leaves PGlite as it was, and the next start imports again. The
 * audit chain is copied as stored (sequence numbers, MACs, key ids, the JSON), so it verifies as
 * it did. The PGlite folder is then renamed, not deleted.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { sqliteDialect } from './dialect.ts';
import { pgliteFolder } from './embedded.ts';
import { startPglite } from './pglite.ts';
import type { Sql } from './sql.ts';
import { migrate } from './sql.ts';
import { openSqliteFile } from './sqlite.ts';

/** Every table the migrations make, but the migrations' own (SQLite's gets its rows from migrate). */
const TABLES = [
  'healthbot_events',
  'healthbot_conversations',
  'healthbot_incidents',
  'healthbot_actions',
  'healthbot_approvals',
  'healthbot_timers',
  'healthbot_values',
  'healthbot_audit',
];
const JSON_COLUMNS = new Set(['state', 'data', 'payload', 'value', 'record']);

/** A PGlite value as SQLite keeps it: JSON as text with sorted keys, times as ISO text. */
function stored(column: string, value: unknown): unknown {
  if (JSON_COLUMNS.has(column)) return sqliteDialect.json(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** Where the PGlite folder goes once imported. */
export const importedPgliteFolder = (dataDir: string) => `${pgliteFolder(dataDir)}.imported-to-sqlite`;

async function copyTables(from: Sql, to: Sql): Promise<void> {
  await to.transaction(async (tx) => {
    for (const table of TABLES) {
      for (const row of (await from.query<Record<string, unknown>>(`select * from ${table}`)).rows) {
        const columns = Object.keys(row);
        await tx.query(
          `insert into ${table} (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          columns.map((c) => stored(c, row[c])),
        );
      }
    }
  });
}

/** Imports the PGlite database of a data folder whose lock the caller holds into `file`. */
export async function importPglite(dataDir: string, file: string): Promise<void> {
  const side = `${file}.importing`;
  for (const f of [side, `${side}-wal`, `${side}-journal`]) rmSync(f, { force: true });
  const from = await startPglite(dataDir, async () => {});
  try {
    await migrate(from); // an older folder is brought to the current schema first
    const to = openSqliteFile(side, async () => {});
    try {
      await migrate(to);
      await copyTables(from, to);
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
  // Closing checkpointed the log into the file; a log left behind goes along with it.
  if (existsSync(`${side}-wal`)) renameSync(`${side}-wal`, `${file}-wal`);
  renameSync(side, file);
  renameSync(pgliteFolder(dataDir), importedPgliteFolder(dataDir));
}
