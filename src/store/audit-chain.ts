/**
 * The audit trail's keyed hash chain. Each record carries a sequence number (1, 2, 3, … without
 * gaps), its predecessor's MAC and its own: an HMAC-SHA256, under a key kept outside the database,
 * over every field a reader sees (sequence, time, type, incident, actor, data, predecessor, key
 * id). Someone who can write the database but does not hold the key can delete, edit, reorder or
 * move records between incidents, but cannot make the chain verify again. Deleting the newest
 * records leaves a valid shorter chain; anchors (the head's sequence and MAC, written outside the
 * database) catch that: see `verifyAuditChain`.
 *
 * Records written before the trail was keyed carry a plain SHA-256 and no key id. They are still
 * checked as a chain and reported as unkeyed, not as broken.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditEntry, AuditRecord } from '../core/index.ts';
import { canonicalJson } from '../core/index.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The secret and its public fingerprint; records name the fingerprint, never the secret. */
export interface AuditKey {
  readonly id: string;
  readonly secret: Buffer;
}

export function auditKey(secret: string | Buffer): AuditKey {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  const id = createHmac('sha256', bytes).update('healthbot audit key id').digest('hex').slice(0, 16);
  return { id, secret: bytes };
}

/** The plain SHA-256 of records written before the trail was keyed (anyone can recompute it). */
export function hashRecord(seq: number, prevHash: string, entry: AuditEntry): string {
  const content = canonicalJson({
    seq,
    prevHash,
    type: entry.type,
    at: entry.at,
    incidentId: entry.incidentId,
    actor: entry.actor,
    data: entry.data,
  });
  return createHash('sha256').update(content).digest('hex');
}

/** The keyed MAC: only the key's holder can compute it. */
export function macRecord(key: AuditKey, seq: number, prevHash: string, entry: AuditEntry): string {
  const content = canonicalJson({
    v: 2,
    seq,
    prevHash,
    keyId: key.id,
    type: entry.type,
    at: entry.at,
    incidentId: entry.incidentId ?? null,
    actor: entry.actor ?? null,
    data: entry.data,
  });
  return createHmac('sha256', key.secret).update(content).digest('hex');
}

export function chainRecord(
  entry: AuditEntry,
  previous: { seq: number; hash: string } | undefined,
  key: AuditKey,
): AuditRecord {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? GENESIS_HASH;
  return { ...entry, seq, prevHash, keyId: key.id, hash: macRecord(key, seq, prevHash, entry) };
}

/** The head of the chain as written outside the database: its sequence number, MAC and time. */
export interface AnchorPoint {
  readonly seq: number;
  readonly hash: string;
  /** When the anchor was taken (absent for one typed on the command line). */
  readonly at?: string;
}

export interface ChainProblem {
  readonly seq: number;
  readonly problem: string;
}

export interface ChainVerification {
  /** No record is broken and no anchor contradicts the trail (unkeyed records alone do not fail it). */
  readonly ok: boolean;
  readonly checked: number;
  /** In sequence order; the first is the first broken record. */
  readonly problems: readonly ChainProblem[];
  readonly firstBroken?: number;
  /** Records without a key (written before keying): chained, but anyone could have recomputed them. */
  readonly unkeyed?: { readonly first: number; readonly last: number; readonly count: number };
  /** The newest anchor, and the records it names that the trail no longer has. */
  readonly lastAnchor?: AnchorPoint;
  readonly missingSinceAnchor?: { readonly from: number; readonly to: number };
  /** Keyed records that could not be checked because no key was given. */
  readonly keyMissing?: boolean;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a whole trail, in sequence order, from the first record, with the key that signed it and
 * the anchors written outside the database (the log, the anchor file, chat threads, the command
 * line). Without anchors, deleting the newest records cannot be told from a quiet day.
 */
export function verifyAuditChain(
  records: readonly AuditRecord[],
  options: { readonly key?: AuditKey; readonly anchors?: readonly AnchorPoint[] } = {},
): ChainVerification {
  const problems: ChainProblem[] = [];
  const { key } = options;
  let previous: { seq: number; hash: string } | undefined;
  let keyedSeen = false;
  let keyMissing = false;
  let unkeyed: { first: number; last: number; count: number } | undefined;
  const bySeq = new Map<number, AuditRecord>();
  for (const r of records) {
    bySeq.set(r.seq, r);
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (r.seq > expectedSeq)
      problems.push({
        seq: r.seq,
        problem:
          r.seq - 1 === expectedSeq
            ? `record ${expectedSeq} before it is missing`
            : `records ${expectedSeq} to ${r.seq - 1} before it are missing`,
      });
    else if (r.seq !== expectedSeq)
      problems.push({
        seq: r.seq,
        problem: `expected record ${expectedSeq} here: records are missing or out of order`,
      });
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    if (r.prevHash !== expectedPrev)
      problems.push({ seq: r.seq, problem: 'does not point at the hash of the record before it' });
    if (!r.keyId) {
      if (keyedSeen)
        problems.push({
          seq: r.seq,
          problem: 'unkeyed record after keyed ones: the chain was rewritten without the key',
        });
      else if (!sameHex(hashRecord(r.seq, r.prevHash, r), r.hash))
        problems.push({ seq: r.seq, problem: 'content does not match its hash: the record was changed' });
      unkeyed = unkeyed
        ? { ...unkeyed, last: r.seq, count: unkeyed.count + 1 }
        : { first: r.seq, last: r.seq, count: 1 };
    } else {
      keyedSeen = true;
      if (!key) keyMissing = true;
      else if (r.keyId !== key.id)
        problems.push({ seq: r.seq, problem: `signed with another key (id ${r.keyId}, ours is ${key.id})` });
      else if (!sameHex(macRecord(key, r.seq, r.prevHash, r), r.hash))
        problems.push({ seq: r.seq, problem: 'content does not match its MAC: the record was changed' });
    }
    previous = { seq: r.seq, hash: r.hash };
  }

  const anchors = [...(options.anchors ?? [])].sort((a, b) => a.seq - b.seq);
  const lastSeq = records.at(-1)?.seq ?? 0;
  let missingSinceAnchor: ChainVerification['missingSinceAnchor'];
  for (const anchor of anchors) {
    const at = anchor.at ? ` (anchor of ${anchor.at})` : '';
    const r = bySeq.get(anchor.seq);
    if (!r) {
      if (anchor.seq > lastSeq) {
        missingSinceAnchor = { from: lastSeq + 1, to: anchor.seq };
        problems.push({
          seq: lastSeq + 1,
          problem: `records ${lastSeq + 1} to ${anchor.seq} are missing: the trail ends at ${lastSeq}, but an anchor names record ${anchor.seq}${at}`,
        });
      } else
        problems.push({ seq: anchor.seq, problem: `record ${anchor.seq} is missing, but an anchor names it${at}` });
    } else if (!sameHex(r.hash, anchor.hash)) {
      problems.push({
        seq: anchor.seq,
        problem: `does not match its anchor${at}: the record or one before it was rewritten`,
      });
    }
  }
  problems.sort((a, b) => a.seq - b.seq);
  const lastAnchor = anchors.at(-1);
  return {
    ok: problems.length === 0 && !keyMissing,
    checked: records.length,
    problems,
    ...(problems[0] ? { firstBroken: problems[0].seq } : {}),
    ...(unkeyed ? { unkeyed } : {}),
    ...(lastAnchor ? { lastAnchor } : {}),
    ...(missingSinceAnchor ? { missingSinceAnchor } : {}),
    ...(keyMissing ? { keyMissing } : {}),
  };
}

/** `<seq>:<hash>`, the form anchors take on the command line and in chat. */
export function formatAnchor(a: AnchorPoint): string {
  return `${a.seq}:${a.hash}`;
}

export function parseAnchor(text: string): AnchorPoint | undefined {
  const m = /^\s*(\d{1,15}):([0-9a-f]{64})\s*$/i.exec(text);
  return m ? { seq: Number(m[1]), hash: m[2]!.toLowerCase() } : undefined;
}
