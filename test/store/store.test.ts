import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.ts';
import { createMemoryStore, openStore } from '../../src/store/index.ts';
import { missingPrerequisite, testDatabaseUrl } from '../support/prerequisites.ts';
import { CONTRACT_AUDIT_KEY, storeContract } from './contract.ts';

const AUDIT_KEY = CONTRACT_AUDIT_KEY;

storeContract('in memory', async () => createMemoryStore({ auditKey: CONTRACT_AUDIT_KEY }));

// The embedded default: SQLite, one file, one connection; the tests share one database.
const sqliteDir = mkdtempSync(join(tmpdir(), 'hb-store-'));
let sharedSqlite: Promise<Store> | undefined;
storeContract('embedded database (SQLite)', async () => {
  const store = await (sharedSqlite ??= openStore({ dataDir: sqliteDir, auditKey: AUDIT_KEY }));
  return { ...store, close: async () => {} };
});

// PGlite, the embedded store before issue 20 (still opened to import a data folder it filled).
// Its first open may run initdb (seconds), and it is a single connection: the tests share it.
const pgliteDir = mkdtempSync(join(tmpdir(), 'hb-store-'));
let shared: Promise<Store> | undefined;
const sharedPglite = () => (shared ??= openStore({ dataDir: pgliteDir, auditKey: AUDIT_KEY, embedded: 'pglite' }));
// initdb takes seconds, and far longer on a busy machine: it happens here, under the hook's own
// timeout, not inside whichever contract test happens to run first.
beforeAll(() => sharedPglite().then(() => undefined), 180_000);
storeContract('embedded database (PGlite)', async () => {
  const store = await sharedPglite();
  return { ...store, close: async () => {} };
});
afterAll(async () => {
  if (shared) await (await shared).close();
  if (sharedSqlite) await (await sharedSqlite).close();
});

describe('embedded database', () => {
  it('keeps its data across a close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-store-'));
    const first = await openStore({ dataDir: dir, auditKey: AUDIT_KEY });
    await first.appendAudit({ type: 'command', at: '2026-11-24T14:00:00.000Z', data: { text: 'hello' } });
    await first.close();
    const again = await openStore({ dataDir: dir, auditKey: AUDIT_KEY });
    expect((await again.readAudit()).map((r) => r.data)).toEqual([{ text: 'hello' }]);
    await again.close();
  }, 120_000);

  it('refuses to open a directory another live process holds, with a message that says what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-store-'));
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'healthbot.lock'), String(other.pid));
      await expect(openStore({ dataDir: dir, lockTimeoutMs: 200, auditKey: AUDIT_KEY })).rejects.toMatchObject({
        code: 'locked',
        message: expect.stringMatching(/in use by the bot \(process \d+\)\. Stop it first.*DATABASE_URL/),
      });
    } finally {
      other.kill();
    }
  });

  it('queues behind a CLI command that holds the database, and opens once it lets go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-store-'));
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'healthbot.lock'), `${other.pid} cli`);
      const released = new Promise<void>((r) => setTimeout(() => r(rmSync(join(dir, 'healthbot.lock'))), 400));
      const store = await openStore({ dataDir: dir, holder: 'cli', lockTimeoutMs: 20_000, auditKey: AUDIT_KEY });
      await released;
      expect(readFileSync(join(dir, 'healthbot.lock'), 'utf8')).toBe(`${process.pid} cli`);
      await store.close();
      expect(existsSync(join(dir, 'healthbot.lock'))).toBe(false);
    } finally {
      other.kill();
    }
  }, 120_000);

  it('takes over a lock whose process died (a crash or SIGKILL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-store-'));
    const dead = spawn('true');
    await new Promise((r) => dead.once('exit', r));
    writeFileSync(join(dir, 'healthbot.lock'), `${dead.pid} bot`);
    // SQLite's own lock (node-sqlite3-wasm makes a folder) as a SIGKILLed holder leaves it.
    mkdirSync(join(dir, 'healthbot.sqlite.lock'));
    const store = await openStore({ dataDir: dir, lockTimeoutMs: 200, auditKey: AUDIT_KEY });
    await store.appendAudit({ type: 'command', at: '2026-11-24T14:00:00.000Z', data: {} });
    expect(readFileSync(join(dir, 'healthbot.lock'), 'utf8')).toBe(`${process.pid} bot`);
    await store.close();
  }, 120_000);
});

const url = testDatabaseUrl();
if (url) {
  const schema = `hb_test_${process.pid}_${Date.now().toString(36)}`;
  storeContract('PostgreSQL', () => openStore({ databaseUrl: url, dataDir: '', schema, auditKey: AUDIT_KEY }));
  describe('PostgreSQL across two connections pools', () => {
    it('gives one winner when two stores race on the same approval', async () => {
      const [a, b] = await Promise.all([
        openStore({ databaseUrl: url, dataDir: '', schema, auditKey: AUDIT_KEY }),
        openStore({ databaseUrl: url, dataDir: '', schema, auditKey: AUDIT_KEY }),
      ]);
      const { incident, approval } = await import('./contract.ts');
      const inc = incident();
      await a.insertIncident(inc);
      const apr = approval(inc.id);
      await a.insertApproval(apr);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).updateApproval({ ...apr, state: 'approved', version: 2 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      await Promise.all([a.close(), b.close()]);
    });
  });
} else {
  describe('PostgreSQL', () => {
    missingPrerequisite(
      'needs TEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test) to run the contract suite on PostgreSQL',
    );
  });
}
