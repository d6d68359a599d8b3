/**
 * Appends to the audit chain in groups. Extending the chain takes an exclusive lock on the table
 * (one writer at a time, across every process sharing the database), and a decision appends about
 * five records: with one lock per record, ten decisions at once kept the lock held nearly all the
 * time. Here every append that arrives while a group is being written waits for the next group,
 * and a group is one transaction: one lock, one read of the head, the records chained one after
 * another in memory and written with one statement. The chain itself is unchanged: each record
 * still carries its own sequence number, its predecessor's MAC and its own.
 *
 * A group fails or succeeds as a whole; every caller in a failed group sees the error, and nothing
 * of it was written.
 */
import type { AuditEntry, AuditRecord } from '../core/index.ts';
import type { AuditKey } from './audit-chain.ts';
import { chainRecord } from './audit-chain.ts';
import { postgresDialect } from './dialect.ts';
import type { Sql } from './sql.ts';

interface Waiting {
  readonly entry: AuditEntry;
  resolve(record: AuditRecord): void;
  reject(err: unknown): void;
}

/** How many records one group writes at most (one INSERT with 8 parameters each). */
const MAX_GROUP = 200;

export function createAuditWriter(
  sql: Pick<Sql, 'transaction' | 'dialect'>,
  key: AuditKey,
): (entry: AuditEntry) => Promise<AuditRecord> {
  const d = sql.dialect ?? postgresDialect;
  const lock = d.lockTable('healthbot_audit');
  let queue: Waiting[] = [];
  let writing = false;

  async function writeGroup(group: readonly Waiting[]): Promise<AuditRecord[]> {
    return sql.transaction(async (tx) => {
      // SQLite has no table locks: its write transaction already excludes every other writer.
      if (lock) await tx.query(lock);
      const last = (
        await tx.query<{ seq: string | number; hash: string }>(
          'select seq, hash from healthbot_audit order by seq desc limit 1',
        )
      ).rows[0];
      let previous = last ? { seq: Number(last.seq), hash: last.hash } : undefined;
      const records = group.map(({ entry }) => {
        const record = chainRecord(entry, previous, key);
        previous = { seq: record.seq, hash: record.hash };
        return record;
      });
      const params: unknown[] = [];
      const tuples = records.map((r) => {
        const n = params.length;
        params.push(
          r.seq,
          r.at,
          r.type,
          r.incidentId ?? null,
          r.prevHash,
          r.hash,
          r.keyId ?? null,
          d.json({ actor: r.actor, data: r.data }),
        );
        return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, ${d.jsonValue(`$${n + 8}`)})`;
      });
      await tx.query(
        `insert into healthbot_audit (seq, at, type, incident_id, prev_hash, hash, key_id, record) values ${tuples.join(', ')}`,
        params,
      );
      return records;
    });
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const group = queue.slice(0, MAX_GROUP);
        queue = queue.slice(group.length);
        try {
          const records = await writeGroup(group);
          group.forEach((w, i) => w.resolve(records[i]!));
        } catch (err) {
          for (const w of group) w.reject(err);
        }
      }
    } finally {
      writing = false;
    }
  }

  return (entry) =>
    new Promise<AuditRecord>((resolve, reject) => {
      queue.push({ entry, resolve, reject });
      // Started a microtask later, so that appends made in the same turn form the first group.
      if (!writing) {
        writing = true;
        queueMicrotask(() => void drain());
      }
    });
}
