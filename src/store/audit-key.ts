/**
 * The audit key: from the configuration (HEALTHBOT_AUDIT_KEY), from a key file
 * (HEALTHBOT_AUDIT_KEY_FILE), or generated on first start into the default key file beside the data
 * directory (`<data dir>.audit-key`, mode 0600). It lives outside the database on purpose: whoever
 * can write the database but cannot read this file cannot re-sign a rewritten trail. The default
 * sits beside the data directory, not in it, so a copy of the data directory (a backup, a support
 * bundle) does not carry the key. Replicas sharing PostgreSQL must share the key.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { link, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../core/index.ts';
import type { AuditKey } from './audit-chain.ts';
import { auditKey } from './audit-chain.ts';

export interface AuditKeySettings {
  /** The secret itself (HEALTHBOT_AUDIT_KEY); wins over the file. */
  readonly key?: string;
  /** Where the key is read from, and written on first start when it does not exist. */
  readonly keyFile: string;
}

export interface LoadedAuditKey {
  readonly key: AuditKey;
  readonly origin: 'environment' | 'file' | 'generated';
  /** The key file, unless the key came from the environment. */
  readonly file?: string;
  /** Things to say at start (a key file others can read). */
  readonly warnings: readonly string[];
}

async function readKeyFile(file: string): Promise<string> {
  const text = (await readFile(file, 'utf8')).trim();
  if (text.length < 32)
    throw new ConfigError([
      `HEALTHBOT_AUDIT_KEY_FILE: ${file} holds ${text.length} characters; an audit key needs 32 or more`,
    ]);
  return text;
}

export async function loadAuditKey(settings: AuditKeySettings): Promise<LoadedAuditKey> {
  if (settings.key) return { key: auditKey(settings.key), origin: 'environment', warnings: [] };
  const file = settings.keyFile;
  try {
    const text = await readKeyFile(file);
    const mode = statSync(file).mode & 0o077;
    const warnings = mode
      ? [
          `the audit key file ${file} can be read by other users (mode ${(statSync(file).mode & 0o777).toString(8)}); make it 0600`,
        ]
      : [];
    return { key: auditKey(text), origin: 'file', file, warnings };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError([
        `HEALTHBOT_AUDIT_KEY_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      ]);
    }
  }
  // First start: make the key. It is written whole to a private file, then linked into place,
  // which fails if the key appeared meanwhile: two processes starting together agree on one key,
  // and nobody ever reads a half-written one.
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'wx', 0o600);
    await handle.writeFile(`${randomBytes(32).toString('hex')}\n`);
    await handle.close();
    await link(tmp, file);
    return { key: auditKey(await readKeyFile(file)), origin: 'generated', file, warnings: [] };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError([
        `HEALTHBOT_AUDIT_KEY_FILE: cannot create ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      ]);
    }
    return { key: auditKey(await readKeyFile(file)), origin: 'file', file, warnings: [] };
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * The key for checking, never made: `healthbot audit verify` with a missing key file must say the
 * key is missing, not sign nothing with a fresh one and call every record foreign.
 */
export async function readAuditKey(settings: AuditKeySettings): Promise<AuditKey | undefined> {
  if (settings.key) return auditKey(settings.key);
  try {
    return auditKey(await readKeyFile(settings.keyFile));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
