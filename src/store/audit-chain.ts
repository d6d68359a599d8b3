/**
 * The audit trail's hash chain. Each record's hash covers its sequence number, its predecessor's
 * hash and its content, so removing, reordering or editing any record breaks every hash after it;
 * `healthbot audit verify` recomputes them all.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditRecord } from '../core/index.ts';
import { canonicalJson } from '../core/index.ts';

export const GENESIS_HASH = '0'.repeat(64);

export function hashRecord(seq: number, prevHash: string, entry: AuditEntry): string {
  const content = canonicalJson({ seq, prevHash, type: entry.type, at: entry.at, incidentId: entry.incidentId, actor: entry.actor, data: entry.data });
  return createHash('sha256').update(content).digest('hex');
}

export function chainRecord(entry: AuditEntry, previous: { seq: number; hash: string } | undefined): AuditRecord {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? GENESIS_HASH;
  return { ...entry, seq, prevHash, hash: hashRecord(seq, prevHash, entry) };
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly checked: number;
  readonly problems: readonly { readonly seq: number; readonly problem: string }[];
}

/** Checks a whole trail, in sequence order, from the first record. */
export function verifyAuditChain(records: readonly AuditRecord[]): ChainVerification {
  const problems: { seq: number; problem: string }[] = [];
  let previous: { seq: number; hash: string } | undefined;
  for (const r of records) {
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (r.seq !== expectedSeq) problems.push({ seq: r.seq, problem: `expected record ${expectedSeq} here: records are missing or out of order` });
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    if (r.prevHash !== expectedPrev) problems.push({ seq: r.seq, problem: 'does not point at the hash of the record before it' });
    if (hashRecord(r.seq, r.prevHash, r) !== r.hash) problems.push({ seq: r.seq, problem: 'content does not match its hash: the record was changed' });
    previous = { seq: r.seq, hash: r.hash };
  }
  return { ok: problems.length === 0, checked: records.length, problems };
}
