/**
 * The audit trail against someone who can write the database but does not hold the audit key
 * (issue 18, fault 10), on the embedded database and on PostgreSQL: each attack is made with plain
 * SQL on the stored table, then the trail is read back through the store and verified with the key
 * and the anchor the bot wrote outside the database.
 *   - delete the newest records;
 *   - delete everything from a point on;
 *   - rewrite a record and recompute every hash after it with the project's own functions;
 *   - move a record to another incident (its incident_id column).
 * And a store from before keying: its records are reported as unkeyed, not as broken.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, AuditEntry, AuditRecord, Store } from '../../src/core/index.ts';
import type { AnchorPoint, AuditKey } from '../../src/store/index.ts';
import { auditKey, chainRecord, GENESIS_HASH, hashRecord, openStore, verifyAuditChain } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { postgresDialect } from '../../src/store/dialect.ts';
import type { EmbeddedEngine } from '../../src/store/embedded.ts';
import { sqliteFile } from '../../src/store/embedded.ts';
import { openPglite } from '../../src/store/pglite.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import type { Sql } from '../../src/store/sql.ts';
import { openSqliteFile } from '../../src/store/sqlite.ts';
import { missingPrerequisite, testDatabaseUrl } from '../support/prerequisites.ts';

const KEY = auditKey('the-bot-audit-key-kept-outside-the-database-0123');
/** What the attacker signs with: the project's own functions, but not the bot's key. */
const ATTACKER = auditKey('the-attacker-does-not-have-the-real-key-9876543210');
const alice: Actor = { platform: 'lab', userId: 'alice', displayName: 'Alice' };
const RECORDS = 12;
/** Parameter n as a value for a JSON column, as the attacked database spells it. */
const jsonParam = (raw: Sql, n: number) => (raw.dialect ?? postgresDialect).jsonValue(`$${n}`);

interface Target {
  /** A store over a fresh copy of the trail: RECORDS records over two incidents, written by the bot. */
  fresh(): Promise<{ store: () => Promise<Store>; raw: () => Promise<Sql>; done: () => Promise<void> }>;
}

async function writeTrail(store: Store): Promise<void> {
  for (let i = 1; i <= RECORDS; i++) {
    await store.appendAudit({
      type: i % 4 === 0 ? 'approval-decided' : 'probe',
      at: new Date(Date.UTC(2026, 10, 24, 14, 0, i)).toISOString(),
      incidentId: i % 2 ? 'inc-a' : 'inc-b',
      actor: alice,
      data: { i },
    });
  }
}

/** The record as an entry: what the attacker feeds to the project's chain functions. */
const entryOf = (r: AuditRecord): AuditEntry => ({
  type: r.type,
  at: r.at,
  ...(r.incidentId ? { incidentId: r.incidentId } : {}),
  ...(r.actor ? { actor: r.actor } : {}),
  data: r.data,
});

async function rows(raw: Sql): Promise<AuditRecord[]> {
  const r = await raw.query<{
    seq: string | number;
    at: string;
    type: string;
    incident_id: string | null;
    prev_hash: string;
    hash: string;
    key_id: string | null;
    record: unknown;
  }>('select seq, at, type, incident_id, prev_hash, hash, key_id, record from healthbot_audit order by seq');
  return r.rows.map((row) => {
    const stored = (typeof row.record === 'string' ? JSON.parse(row.record) : row.record) as {
      actor?: Actor;
      data: Record<string, unknown>;
    };
    return {
      seq: Number(row.seq),
      at: row.at,
      type: row.type as AuditRecord['type'],
      ...(row.incident_id ? { incidentId: row.incident_id } : {}),
      ...(stored.actor ? { actor: stored.actor } : {}),
      data: stored.data,
      prevHash: row.prev_hash,
      hash: row.hash,
      ...(row.key_id ? { keyId: row.key_id } : {}),
    };
  });
}

/** Rewrites every record from `from` on, re-chaining with `sign` (which returns the stored form). */
async function rechain(
  raw: Sql,
  from: number,
  change: (e: AuditEntry, seq: number) => AuditEntry,
  sign: (e: AuditEntry, prev: { seq: number; hash: string } | undefined) => AuditRecord,
): Promise<void> {
  const all = await rows(raw);
  let prev = from > 1 ? { seq: all[from - 2]!.seq, hash: all[from - 2]!.hash } : undefined;
  for (const r of all.filter((x) => x.seq >= from)) {
    const next = sign(change(entryOf(r), r.seq), prev);
    await raw.query(
      `update healthbot_audit set prev_hash = $2, hash = $3, key_id = $4, record = ${jsonParam(raw, 5)}, incident_id = $6 where seq = $1`,
      [
        r.seq,
        next.prevHash,
        next.hash,
        next.keyId ?? null,
        JSON.stringify({ actor: next.actor, data: next.data }),
        next.incidentId ?? null,
      ],
    );
    prev = { seq: next.seq, hash: next.hash };
  }
}

function attacks(name: string, target: () => Target): void {
  // Each attack opens the embedded database three times; on a busy machine that takes a while.
  describe(`audit trail attacks: ${name}`, { timeout: 120_000 }, () => {
    /** Writes the trail, takes the anchor the bot would write outside the database, attacks, verifies. */
    async function attack(
      tamper: (raw: Sql) => Promise<void>,
    ): Promise<{ anchor: AnchorPoint; before: readonly AuditRecord[]; after: readonly AuditRecord[]; key: AuditKey }> {
      const t = await target().fresh();
      try {
        const bot = await t.store();
        const before = await bot.readAudit();
        const anchor = (await bot.auditHead())!;
        await bot.close();
        const raw = await t.raw();
        await tamper(raw);
        await raw.close();
        const again = await t.store();
        const after = await again.readAudit();
        await again.close();
        return { anchor, before, after, key: KEY };
      } finally {
        await t.done();
      }
    }

    it('an untouched trail verifies, against its anchor too', async () => {
      const { anchor, after } = await attack(async () => {});
      expect(after).toHaveLength(RECORDS);
      expect(verifyAuditChain(after, { key: KEY, anchors: [anchor] })).toMatchObject({
        ok: true,
        checked: RECORDS,
        problems: [],
      });
    });

    it('deleting the newest records is caught against the last anchor', async () => {
      const { anchor, after } = await attack((raw) =>
        raw.query('delete from healthbot_audit where seq > $1', [RECORDS - 3]).then(() => undefined),
      );
      // The shorter chain is internally sound: only the anchor shows what is gone.
      expect(verifyAuditChain(after, { key: KEY }).ok).toBe(true);
      const v = verifyAuditChain(after, { key: KEY, anchors: [anchor] });
      expect(v.ok).toBe(false);
      expect(v.missingSinceAnchor).toEqual({ from: RECORDS - 2, to: RECORDS });
      expect(v.firstBroken).toBe(RECORDS - 2);
    });

    it('deleting everything from a point on is caught, and the first missing record is named', async () => {
      const { anchor, after } = await attack((raw) =>
        raw.query('delete from healthbot_audit where seq >= $1', [5]).then(() => undefined),
      );
      const v = verifyAuditChain(after, { key: KEY, anchors: [anchor] });
      expect(v).toMatchObject({ ok: false, firstBroken: 5, missingSinceAnchor: { from: 5, to: RECORDS } });
      expect(v.problems[0]!.problem).toMatch(
        /records 5 to 12 are missing: the trail ends at 4, but an anchor names record 12/,
      );
    });

    it('deleting a record in the middle is caught without any anchor', async () => {
      const { after } = await attack((raw) =>
        raw.query('delete from healthbot_audit where seq = 6').then(() => undefined),
      );
      expect(verifyAuditChain(after, { key: KEY })).toMatchObject({ ok: false, firstBroken: 7 });
    });

    const edit = (e: AuditEntry, seq: number): AuditEntry =>
      seq === 7 ? { ...e, data: { ...e.data, i: 'nothing happened' } } : e;
    const unkeyed = (e: AuditEntry, prev: { seq: number; hash: string } | undefined): AuditRecord => {
      const seq = (prev?.seq ?? 0) + 1;
      const prevHash = prev?.hash ?? GENESIS_HASH;
      return { ...e, seq, prevHash, hash: hashRecord(seq, prevHash, e) };
    };

    it("rewriting a record and recomputing the chain with the project's own function and another key is caught", async () => {
      const { after } = await attack((raw) => rechain(raw, 7, edit, (e, prev) => chainRecord(e, prev, ATTACKER)));
      expect(after.find((r) => r.seq === 7)?.data.i).toBe('nothing happened');
      expect(verifyAuditChain(after, { key: KEY })).toMatchObject({
        ok: false,
        firstBroken: 7,
        problems: expect.arrayContaining([{ seq: 7, problem: expect.stringMatching(/another key/) }]),
      });
    });

    it("the same rewrite claiming the bot's key id is caught by the MAC", async () => {
      const { after } = await attack((raw) =>
        rechain(raw, 7, edit, (e, prev) => ({ ...chainRecord(e, prev, ATTACKER), keyId: KEY.id })),
      );
      expect(verifyAuditChain(after, { key: KEY })).toMatchObject({
        ok: false,
        firstBroken: 7,
        problems: expect.arrayContaining([{ seq: 7, problem: expect.stringMatching(/does not match its MAC/) }]),
      });
    });

    it('the rewrite re-hashed with the old unkeyed function after keyed records is caught', async () => {
      const { after } = await attack((raw) => rechain(raw, 7, edit, unkeyed));
      expect(verifyAuditChain(after, { key: KEY })).toMatchObject({
        ok: false,
        firstBroken: 7,
        problems: expect.arrayContaining([
          { seq: 7, problem: expect.stringMatching(/unkeyed record after keyed ones/) },
        ]),
      });
    });

    it('the whole trail re-hashed unkeyed shows as unkeyed, and the anchor catches it', async () => {
      // Every record then checks as a sound unkeyed chain: only the loud "unkeyed" report and the
      // anchor give it away.
      const { after, anchor } = await attack((raw) => rechain(raw, 1, edit, unkeyed));
      expect(verifyAuditChain(after, { key: KEY })).toMatchObject({
        ok: true,
        unkeyed: { first: 1, last: RECORDS, count: RECORDS },
      });
      expect(verifyAuditChain(after, { key: KEY, anchors: [anchor] })).toMatchObject({
        ok: false,
        firstBroken: RECORDS,
      });
    });

    it('moving a record to another incident (its incident_id) is caught, on the column and in the JSON alike', async () => {
      const column = await attack((raw) =>
        raw.query("update healthbot_audit set incident_id = 'inc-b' where seq = 3").then(() => undefined),
      );
      expect(column.after.find((r) => r.seq === 3)?.incidentId).toBe('inc-b');
      expect(verifyAuditChain(column.after, { key: KEY })).toMatchObject({
        ok: false,
        firstBroken: 3,
        problems: [{ seq: 3, problem: expect.stringMatching(/changed/) }],
      });
      const json = await attack((raw) =>
        raw
          .query(
            `update healthbot_audit set record = ${(raw.dialect ?? postgresDialect).setText('record', ['data', 'i'], "'99'")} where seq = 3`,
          )
          .then(() => undefined),
      );
      expect(verifyAuditChain(json.after, { key: KEY })).toMatchObject({ ok: false, firstBroken: 3 });
    });

    it('a store from before keying: its old records are reported as unkeyed, not broken, and new ones are keyed', async () => {
      const t = await target().fresh();
      try {
        // Back to the old layout: the records as version 3 wrote them, and the key column gone.
        const raw = await t.raw();
        await raw.query('delete from healthbot_audit');
        await raw.query('alter table healthbot_audit drop column key_id');
        await raw.query('delete from healthbot_migrations where version >= 4');
        let prev: { seq: number; hash: string } | undefined;
        for (let i = 1; i <= 3; i++) {
          const entry: AuditEntry = {
            type: 'command',
            at: new Date(Date.UTC(2026, 0, 1, 9, 0, i)).toISOString(),
            incidentId: 'old',
            actor: alice,
            data: { i },
          };
          const seq = i;
          const prevHash = prev?.hash ?? GENESIS_HASH;
          const record: AuditRecord = { ...entry, seq, prevHash, hash: hashRecord(seq, prevHash, entry) };
          await raw.query(
            `insert into healthbot_audit (seq, at, type, incident_id, prev_hash, hash, record) values ($1, $2, $3, $4, $5, $6, ${jsonParam(raw, 7)})`,
            [seq, entry.at, entry.type, 'old', prevHash, record.hash, JSON.stringify(record)],
          );
          prev = { seq, hash: record.hash };
        }
        await raw.close();
        const store = await t.store(); // migrates
        await store.appendAudit({
          type: 'command',
          at: '2026-11-24T14:00:00.000Z',
          incidentId: 'new',
          actor: alice,
          data: { i: 4 },
        });
        const all = await store.readAudit();
        await store.close();
        expect(all.map((r) => r.keyId ?? null)).toEqual([null, null, null, KEY.id]);
        expect(verifyAuditChain(all, { key: KEY })).toMatchObject({
          ok: true,
          problems: [],
          unkeyed: { first: 1, last: 3, count: 3 },
        });
        // An old record changed is still caught by its plain hash.
        const edited = all.map((r) => (r.seq === 2 ? { ...r, data: { i: 'edited' } } : r));
        expect(verifyAuditChain(edited, { key: KEY })).toMatchObject({ ok: false, firstBroken: 2 });
      } finally {
        await t.done();
      }
    });
  });
}

// The embedded databases: the trail is written once, then each attack works on a copy of the
// folder (PGlite's first open may run initdb, which takes seconds).
const copies: string[] = [];
afterAll(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

function embedded(engine: EmbeddedEngine, raw: (dir: string) => Promise<Sql>): void {
  const template = mkdtempSync(join(tmpdir(), 'hb-tamper-'));
  copies.push(template);
  beforeAll(async () => {
    const store = await openStore({ dataDir: template, auditKey: KEY, embedded: engine });
    await writeTrail(store);
    await store.close();
  }, 180_000);
  attacks(`embedded database (${engine})`, () => ({
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'hb-tamper-'));
      copies.push(dir);
      cpSync(template, dir, { recursive: true });
      return {
        store: () => openStore({ dataDir: dir, auditKey: KEY, embedded: engine }),
        raw: () => raw(dir),
        done: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  }));
}

embedded('sqlite', async (dir) => openSqliteFile(sqliteFile(dir), async () => {}));
embedded('pglite', (dir) => openPglite(dir, { lockTimeoutMs: 10_000 }));

const url = testDatabaseUrl();
if (url) {
  let n = 0;
  attacks('PostgreSQL', () => ({
    async fresh() {
      const schema = `hb_tamper_${process.pid}_${Date.now().toString(36)}_${++n}`;
      const writer = await openStore({ databaseUrl: url, dataDir: '', schema, auditKey: KEY });
      await writeTrail(writer);
      await writer.close();
      return {
        store: () => openStore({ databaseUrl: url, dataDir: '', schema, auditKey: KEY }),
        raw: () => openPostgres(url, { schema }),
        done: async () => {
          const raw = await openPostgres(url);
          await raw.query(`drop schema ${schema} cascade`);
          await raw.close();
        },
      };
    },
  }));
} else {
  describe('audit trail attacks: PostgreSQL', () => {
    missingPrerequisite(
      'needs TEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test) to attack the trail on PostgreSQL',
    );
  });
}

// Keeps the migration list honest for the "before keying" test above.
it('keys the trail in migration 4', () => {
  expect(MIGRATIONS.find((m) => m.version === 4)?.statements.join(' ')).toMatch(/add column key_id/);
});
