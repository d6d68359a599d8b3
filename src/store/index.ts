/**
 * Opens the store the configuration asks for: PostgreSQL when a URL is given, else the embedded
 * database under the data directory. Migrations run on open.
 */
import type { Store } from '../core/index.ts';
import type { AuditKey } from './audit-chain.ts';
import type { EmbeddedEngine } from './embedded.ts';
import type { LockHolder } from './embedded-lock.ts';
import { createSqlStore, migrate } from './sql.ts';

export { createMemoryStore } from './memory.ts';
export {
  verifyAuditChain,
  hashRecord,
  macRecord,
  chainRecord,
  auditKey,
  formatAnchor,
  parseAnchor,
  GENESIS_HASH,
} from './audit-chain.ts';
export type { AnchorPoint, AuditKey, ChainProblem, ChainVerification } from './audit-chain.ts';
export { loadAuditKey, readAuditKey } from './audit-key.ts';
export type { AuditKeySettings, LoadedAuditKey } from './audit-key.ts';
export { appendAnchor, readAnchors } from './audit-anchors.ts';
export { redactUrl } from './redact.ts';
export type { LockHolder } from './embedded-lock.ts';
export type { EmbeddedEngine } from './embedded.ts';

export interface OpenStoreOptions {
  readonly databaseUrl?: string;
  readonly dataDir: string;
  /** How long to wait for a CLI command to release the embedded database (a bot: at most 5 s). */
  readonly lockTimeoutMs?: number;
  /** Who is opening the embedded database; the lock file says so to whoever waits for it. */
  readonly holder?: LockHolder;
  /** The embedded engine: SQLite unless PGlite is asked for by name (see embedded.ts). */
  readonly embedded?: EmbeddedEngine;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  readonly schema?: string;
  /** Signs every audit record (see `loadAuditKey`). */
  readonly auditKey: AuditKey;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const sql = options.databaseUrl
    ? // Each driver is loaded only when chosen.
      await (
        await import('./postgres.ts')
      ).openPostgres(options.databaseUrl, options.schema ? { schema: options.schema } : {})
    : await (
        await import('./embedded.ts')
      ).openEmbedded(options.dataDir, {
        lockTimeoutMs: options.lockTimeoutMs ?? 5_000,
        ...(options.holder ? { holder: options.holder } : {}),
        ...(options.embedded ? { engine: options.embedded } : {}),
      });
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close();
    throw err;
  }
  // The embedded database is locked to this process; PostgreSQL is shared by replicas.
  return createSqlStore(sql, { auditKey: options.auditKey, exclusive: !options.databaseUrl });
}
