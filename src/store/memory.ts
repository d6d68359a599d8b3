/**
 * The store in memory, for tests and the CLI's `--data` free rehearsals. Same guarantees as the
 * database stores within one process: compare-and-set on versions, one claim per event and timer,
 * a hash-chained audit log. Values are cloned in and out, so callers can never change stored
 * state by holding on to an object.
 */
import type {
  Approval,
  ApprovalFilter,
  ProblemFilter,
  AuditEntry,
  AuditRecord,
  ConversationState,
  Incident,
  OfferedAction,
  Store,
  Timer,
} from '../core/index.ts';
import { StoreError } from '../core/index.ts';
import { randomBytes } from 'node:crypto';
import type { AuditKey } from './audit-chain.ts';
import { auditKey, chainRecord } from './audit-chain.ts';

const clone = <T>(v: T): T => structuredClone(v);

/** Equal as JSON values (what the database compares), whatever the order of object keys. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * `auditRecords` is exposed so tests can tamper with the trail and watch verification fail, and
 * `auditKey` (random unless given: the records live no longer than the process) to verify it.
 */
export function createMemoryStore(
  options: { readonly auditKey?: AuditKey } = {},
): Store & { readonly auditRecords: AuditRecord[]; readonly auditKey: AuditKey } {
  const key = options.auditKey ?? auditKey(randomBytes(32));
  const events = new Set<string>();
  const conversations = new Map<string, ConversationState>();
  const incidents = new Map<string, Incident>();
  const actions = new Map<string, OfferedAction>();
  const approvals = new Map<string, Approval>();
  const timers = new Map<string, Timer>();
  const values = new Map<string, unknown>();
  const auditRecords: AuditRecord[] = [];
  let closed = false;
  const open = () => {
    if (closed) throw new StoreError('closed', 'the store is closed');
  };

  return {
    auditRecords,
    auditKey: key,
    // One process holds it: anything another owner left is from a process that is gone.
    exclusive: true,
    async claimEvent(eventId) {
      open();
      if (events.has(eventId)) return false;
      events.add(eventId);
      return true;
    },
    async getConversation(conversation) {
      open();
      const s = conversations.get(conversation);
      return s && clone(s);
    },
    async putConversation(state) {
      open();
      conversations.set(state.conversation, clone(state));
    },
    async getValue<T>(key: string) {
      open();
      return values.has(key) ? (clone(values.get(key)) as T) : undefined;
    },
    async putValue(key, value) {
      open();
      values.set(key, clone(value));
    },
    async swapValue(key, expected, next) {
      open();
      const current = values.get(key);
      if (expected === undefined ? values.has(key) : !values.has(key) || !sameJson(current, expected)) return false;
      if (next === undefined) values.delete(key);
      else values.set(key, clone(next));
      return true;
    },
    async insertValues(entries) {
      open();
      const stored: string[] = [];
      for (const { key, value } of entries) {
        if (values.has(key)) continue;
        values.set(key, clone(value));
        stored.push(key);
      }
      return stored;
    },
    async listValues<T>(prefix: string, limit: number) {
      open();
      return [...values.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .slice(0, limit)
        .map((k) => ({ key: k, value: clone(values.get(k)) as T }));
    },
    async insertIncident(incident) {
      open();
      if (incidents.has(incident.id)) throw new StoreError('duplicate', `incident ${incident.id} exists`);
      incidents.set(incident.id, clone(incident));
    },
    async getIncident(id) {
      open();
      const i = incidents.get(id);
      return i && clone(i);
    },
    async updateIncident(next) {
      open();
      const current = incidents.get(next.id);
      if (!current || current.version !== next.version - 1) return false;
      incidents.set(
        next.id,
        clone(current.messageRef && !next.messageRef ? { ...next, messageRef: current.messageRef } : next),
      );
      return true;
    },
    async setIncidentMessageRef(id, messageRef) {
      open();
      const current = incidents.get(id);
      if (current) incidents.set(id, { ...current, messageRef });
    },
    async listIncidentsByStatus(statuses, limit) {
      open();
      return [...incidents.values()]
        .filter((i) => statuses.includes(i.status))
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt))
        .slice(0, limit)
        .map(clone);
    },
    async listIncidents(limit, on?: ProblemFilter) {
      open();
      const same = (a: string | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();
      return [...incidents.values()]
        .filter(
          (i) => !on || (same(i.server, on.server) && (on.healthSet === undefined || same(i.healthSet, on.healthSet))),
        )
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt))
        .slice(0, limit)
        .map(clone);
    },
    async insertActions(list) {
      open();
      for (const a of list) actions.set(a.id, clone(a));
    },
    async getAction(id) {
      open();
      const a = actions.get(id);
      return a && clone(a);
    },
    async insertApproval(approval) {
      open();
      if (approvals.has(approval.id)) throw new StoreError('duplicate', `approval ${approval.id} exists`);
      approvals.set(approval.id, clone(approval));
    },
    async getApproval(id) {
      open();
      const a = approvals.get(id);
      return a && clone(a);
    },
    async updateApproval(next) {
      open();
      const current = approvals.get(next.id);
      if (!current || current.version !== next.version - 1) return false;
      approvals.set(
        next.id,
        clone(current.messageRef && !next.messageRef ? { ...next, messageRef: current.messageRef } : next),
      );
      return true;
    },
    async renewExecutionLease(id, owner, leaseUntil) {
      open();
      const current = approvals.get(id);
      if (!current || current.state !== 'executing' || current.execution?.owner !== owner) return false;
      approvals.set(id, { ...current, execution: { ...current.execution, leaseUntil } });
      return true;
    },
    async takeOverExecution(next, now) {
      open();
      const current = approvals.get(next.id);
      if (!current || current.version !== next.version - 1 || current.state !== 'executing') return false;
      if (current.execution && new Date(current.execution.leaseUntil).getTime() > now.getTime()) return false;
      approvals.set(
        next.id,
        clone(current.messageRef && !next.messageRef ? { ...next, messageRef: current.messageRef } : next),
      );
      return true;
    },
    async setApprovalMessageRef(id, messageRef) {
      open();
      const current = approvals.get(id);
      if (!current || current.messageRef) return false;
      approvals.set(id, { ...current, messageRef });
      return true;
    },
    async listApprovals(filter: ApprovalFilter = {}) {
      open();
      return [...approvals.values()]
        .filter(
          (a) =>
            (!filter.states || filter.states.includes(a.state)) &&
            (!filter.incidentId || a.incidentId === filter.incidentId) &&
            (!filter.incidentIds || filter.incidentIds.includes(a.incidentId)),
        )
        .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))
        .map(clone);
    },
    async scheduleTimer(timer) {
      open();
      timers.set(timer.id, clone(timer));
    },
    async claimDueTimers(now, limit, leaseMs) {
      open();
      const due = [...timers.values()]
        .filter((t) => new Date(t.dueAt).getTime() <= now.getTime())
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
        .slice(0, limit)
        .map((t) => ({ ...t, attempts: (t.attempts ?? 0) + 1 }));
      const leasedUntil = new Date(now.getTime() + leaseMs).toISOString();
      for (const t of due) timers.set(t.id, { ...t, dueAt: leasedUntil });
      return due.map(clone);
    },
    async completeTimer(id) {
      open();
      timers.delete(id);
    },
    async cancelTimers(incidentId) {
      open();
      for (const [id, t] of timers) if (t.incidentId === incidentId) timers.delete(id);
    },
    async appendAudit(entry: AuditEntry) {
      open();
      const record = chainRecord(clone(entry), auditRecords.at(-1), key);
      auditRecords.push(record);
      return clone(record);
    },
    async readAudit(filter = {}) {
      open();
      return auditRecords.filter((r) => !filter.incidentId || r.incidentId === filter.incidentId).map(clone);
    },
    async auditHead() {
      open();
      const last = auditRecords.at(-1);
      return last && { seq: last.seq, hash: last.hash, at: last.at };
    },
    async health() {
      return closed ? { ok: false, detail: 'store closed' } : { ok: true, detail: 'in-memory store' };
    },
    async close() {
      closed = true;
    },
  };
}
