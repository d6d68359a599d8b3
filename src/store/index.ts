/**
 * Opens the store the configuration asks for: PostgreSQL when a URL is given, else the embedded
 * database under the data directory. Migrations run on open.
 */
import type { Store } from '../core/index.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import { createSqlStore, migrate } from './sql.ts';

export { createMemoryStore } from './memory.ts';
export { verifyAuditChain, hashRecord, GENESIS_HASH } from './audit-chain.ts';
export type { ChainVerification } from './audit-chain.ts';
export { redactUrl } from './postgres.ts';

export interface OpenStoreOptions {
  readonly databaseUrl?: string;
  readonly dataDir: string;
  /** How long to wait for another process to release the embedded database. */
  readonly lockTimeoutMs?: number;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  readonly schema?: string;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const sql = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.schema ? { schema: options.schema } : {})
    : await openPglite(options.dataDir, options.lockTimeoutMs ?? 5_000);
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close();
    throw err;
  }
  return createSqlStore(sql);
}
