/**
 * What every Store must guarantee (see the port's doc comment), run against the in-memory store,
 * the embedded database and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, Approval, Incident, Store } from '../../src/core/index.ts';
import { auditKey, verifyAuditChain } from '../../src/store/index.ts';

/** The key every store under contract signs its audit records with. */
export const CONTRACT_AUDIT_KEY = auditKey('contract-audit-key-0123456789abcdef0123456789');

const alice: Actor = { platform: 'lab', userId: 'alice', displayName: 'Alice', directoryId: 'alice@contoso.com' };
let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${++n}`;

export function incident(id = uid('inc')): Incident {
  return {
    id,
    conversation: `test:${id}`,
    server: 'SERVER1',
    healthSet: 'IMAP',
    openedBy: alice,
    openedAt: new Date(Date.UTC(2026, 10, 24, 14, 0, n)).toISOString(),
    question: "what's wrong with IMAP on server1? <script>'\"",
    locale: 'en',
    status: 'confirmed',
    findings: [{ healthSet: 'IMAP', monitor: 'ImapCTPMonitor', alertValue: 'Unhealthy', verdict: 'confirmed' }],
    version: 1,
    updatedAt: '2026-11-24T14:00:00.000Z',
  };
}

export function approval(incidentId: string, id = uid('apr')): Approval {
  return {
    id,
    incidentId,
    monitor: 'ImapCTPMonitor',
    stepId: 'restart-backend-imap',
    operation: { kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' },
    digest: 'abc',
    requester: alice,
    requestedAt: new Date(Date.UTC(2026, 10, 24, 14, 0, n)).toISOString(),
    expiresAt: '2026-11-24T14:15:00.000Z',
    requiredApprovals: 1,
    approvals: [],
    state: 'pending',
    version: 1,
  };
}

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    it('swaps a named value only from the value it expects, one winner among racers', async () => {
      const store = await open();
      const key = uid('alerts:open:SERVER1:imap');
      const racers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.swapValue(key, undefined, { owner: i, nested: { a: 1, b: [1, 2] } }),
        ),
      );
      expect(racers.filter(Boolean)).toHaveLength(1);
      const stored = await store.getValue<{ owner: number; nested: unknown }>(key);
      // Key order does not matter to the compare; a different value does.
      expect(await store.swapValue(key, { nested: { b: [1, 2], a: 1 }, owner: stored!.owner + 1 }, { x: 1 })).toBe(
        false,
      );
      expect(await store.swapValue(key, { nested: { b: [1, 2], a: 1 }, owner: stored!.owner }, { owner: 'next' })).toBe(
        true,
      );
      expect(await store.getValue(key)).toEqual({ owner: 'next' });
      expect(await store.swapValue(key, undefined, { owner: 'again' })).toBe(false);
      expect(await store.swapValue(key, { owner: 'next' }, undefined)).toBe(true);
      expect(await store.getValue(key)).toBeUndefined();
      await store.close();
    });

    it('inserts a burst of named values in one write, keeping the ones already there', async () => {
      const store = await open();
      const prefix = uid('burst');
      await store.putValue(`${prefix}:taken`, { v: 'before' });
      const stored = await store.insertValues([
        { key: `${prefix}:a`, value: { n: 1 } },
        { key: `${prefix}:taken`, value: { v: 'after' } },
        { key: `${prefix}:b`, value: [1, 'two'] },
        { key: `${prefix}:a`, value: { n: 2 } },
      ]);
      expect([...stored].sort()).toEqual([`${prefix}:a`, `${prefix}:b`]);
      expect(await store.getValue(`${prefix}:a`)).toEqual({ n: 1 });
      expect(await store.getValue(`${prefix}:taken`)).toEqual({ v: 'before' });
      expect(await store.getValue(`${prefix}:b`)).toEqual([1, 'two']);
      expect(await store.insertValues([])).toEqual([]);
      await store.close();
    });

    it('lists named values by prefix, in key order, a literal prefix', async () => {
      const store = await open();
      const prefix = uid('inbox_%');
      await store.putValue(`${prefix}:b`, 2);
      await store.putValue(`${prefix}:a`, 1);
      await store.putValue(`${prefix.replace('_%', 'xx')}:c`, 3);
      expect(await store.listValues(prefix, 10)).toEqual([
        { key: `${prefix}:a`, value: 1 },
        { key: `${prefix}:b`, value: 2 },
      ]);
      expect(await store.listValues(prefix, 1)).toHaveLength(1);
      await store.close();
    });

    it('claims an event id exactly once, even when claims race', async () => {
      const store = await open();
      const id = uid('evt');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claimEvent(id, new Date())));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.claimEvent(id, new Date())).toBe(false);
      await store.close();
    });

    it('keeps incidents whole and updates them by compare-and-set: one winner among racers', async () => {
      const store = await open();
      const inc = incident();
      await store.insertIncident(inc);
      expect(await store.getIncident(inc.id)).toEqual(inc);
      const racers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.updateIncident({ ...inc, status: 'resolved', question: `racer ${i}`, version: 2 }),
        ),
      );
      expect(racers.filter(Boolean)).toHaveLength(1);
      const stored = await store.getIncident(inc.id);
      expect(stored?.version).toBe(2);
      expect(await store.updateIncident({ ...inc, version: 2 })).toBe(false);
      expect(await store.updateIncident({ ...stored!, version: 3 })).toBe(true);
      expect(await store.updateIncident({ ...inc, id: uid('missing'), version: 2 })).toBe(false);
      expect((await store.listIncidents(1000)).some((i) => i.id === inc.id)).toBe(true);
      await store.close();
    });

    it('does not let a caller change stored state through an object it holds', async () => {
      const store = await open();
      const inc = incident();
      await store.insertIncident(inc);
      const got = (await store.getIncident(inc.id)) as { status: string };
      got.status = 'healthy';
      expect((await store.getIncident(inc.id))?.status).toBe('confirmed');
      await store.close();
    });

    it('approvals: compare-and-set across 50 racing deciders, and filters by state and incident', async () => {
      const store = await open();
      const inc = incident();
      await store.insertIncident(inc);
      const a = approval(inc.id);
      await store.insertApproval(a);
      const decided = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.updateApproval({
            ...a,
            state: 'approved',
            approvals: [{ actor: { ...alice, userId: `u${i}` }, at: a.requestedAt }],
            version: 2,
          }),
        ),
      );
      expect(decided.filter(Boolean)).toHaveLength(1);
      expect((await store.getApproval(a.id))?.state).toBe('approved');
      const other = approval(inc.id);
      await store.insertApproval(other);
      expect((await store.listApprovals({ incidentId: inc.id, states: ['pending'] })).map((x) => x.id)).toEqual([
        other.id,
      ]);
      expect((await store.listApprovals({ incidentId: inc.id })).map((x) => x.id).sort()).toEqual(
        [a.id, other.id].sort(),
      );
      await expect(store.insertApproval(other)).rejects.toThrow();
      await store.close();
    });

    it('records an approval card reference once, without changing the version, and keeps it through later updates', async () => {
      const store = await open();
      const inc = incident();
      await store.insertIncident(inc);
      const a = approval(inc.id);
      await store.insertApproval(a);
      expect(await store.setApprovalMessageRef(a.id, 'card-1')).toBe(true);
      expect(await store.setApprovalMessageRef(a.id, 'card-2')).toBe(false);
      expect(await store.getApproval(a.id)).toMatchObject({ messageRef: 'card-1', version: 1 });
      // A decider that read the approval before the card was shown still wins, and the reference stays.
      expect(await store.updateApproval({ ...a, state: 'approved', version: 2 })).toBe(true);
      expect(await store.getApproval(a.id)).toMatchObject({ messageRef: 'card-1', state: 'approved', version: 2 });
      await store.close();
    });

    it('leases executions: only the owner renews, and only an expired lease is taken over', async () => {
      const store = await open();
      const inc = incident();
      await store.insertIncident(inc);
      const a = approval(inc.id);
      await store.insertApproval(a);
      const t0 = new Date('2026-11-24T14:00:00.000Z');
      const at = (s: number) => new Date(t0.getTime() + s * 1000);
      const executing: Approval = {
        ...a,
        state: 'executing',
        execution: { owner: 'p1', startedAt: t0.toISOString(), leaseUntil: at(60).toISOString() },
        version: 2,
      };
      expect(await store.updateApproval(executing)).toBe(true);
      expect(await store.renewExecutionLease(a.id, 'p2', at(120).toISOString())).toBe(false);
      expect(await store.renewExecutionLease(a.id, 'p1', at(120).toISOString())).toBe(true);
      expect((await store.getApproval(a.id))?.execution?.leaseUntil).toBe(at(120).toISOString());
      const unknown: Approval = { ...executing, state: 'outcome-unknown', version: 3 };
      // Renewed to 120 s: at 90 s it is still the owner's.
      expect(await store.takeOverExecution(unknown, at(90))).toBe(false);
      const takers = await Promise.all(Array.from({ length: 10 }, () => store.takeOverExecution(unknown, at(121))));
      expect(takers.filter(Boolean)).toHaveLength(1);
      expect(await store.getApproval(a.id)).toMatchObject({ state: 'outcome-unknown', version: 3 });
      expect(await store.renewExecutionLease(a.id, 'p1', at(180).toISOString())).toBe(false);
      await store.close();
    });

    it('lists incidents by status', async () => {
      const store = await open();
      const checking = { ...incident(), status: 'checking' as const };
      await store.insertIncident(checking);
      await store.insertIncident(incident());
      const found = await store.listIncidentsByStatus(['checking'], 1000);
      expect(found.map((i) => i.id)).toContain(checking.id);
      expect(found.every((i) => i.status === 'checking')).toBe(true);
      await store.close();
    });

    it('lists the incidents on one server and health set, newest first, names compared case-insensitively', async () => {
      const store = await open();
      const server = `SRV-${uid('s')}`;
      const older = { ...incident(), server, healthSet: 'IMAP', openedAt: '2026-11-24T10:00:00.000Z' };
      const newer = {
        ...incident(),
        server: server.toLowerCase(),
        healthSet: 'imap',
        openedAt: '2026-11-24T11:00:00.000Z',
      };
      const otherSet = { ...incident(), server, healthSet: 'OWA' };
      const otherServer = { ...incident(), server: `${server}X`, healthSet: 'IMAP' };
      for (const i of [older, newer, otherSet, otherServer]) await store.insertIncident(i);
      expect((await store.listIncidents(10, { server, healthSet: 'Imap' })).map((i) => i.id)).toEqual([
        newer.id,
        older.id,
      ]);
      expect((await store.listIncidents(1, { server, healthSet: 'IMAP' })).map((i) => i.id)).toEqual([newer.id]);
      expect((await store.listIncidents(10, { server })).map((i) => i.id).sort()).toEqual(
        [older.id, newer.id, otherSet.id].sort(),
      );
      expect(await store.listIncidents(10, { server: `${server}-none` })).toEqual([]);
      const pending = [approval(older.id), approval(newer.id), approval(otherSet.id)];
      for (const a of pending) await store.insertApproval(a);
      expect(
        (await store.listApprovals({ states: ['pending'], incidentIds: [older.id, newer.id] })).map((a) => a.id).sort(),
      ).toEqual([pending[0]!.id, pending[1]!.id].sort());
      expect(await store.listApprovals({ incidentIds: [] })).toEqual([]);
      await store.close();
    });

    it('stores offered actions and conversation state', async () => {
      const store = await open();
      const inc = incident();
      await store.insertActions([
        { id: uid('act'), incidentId: inc.id, command: { type: 'rerun-probes' }, createdAt: inc.openedAt },
      ]);
      const id = uid('act');
      await store.insertActions([
        {
          id,
          incidentId: inc.id,
          command: { type: 'show-ladder', monitor: 'ImapCTPMonitor' },
          createdAt: inc.openedAt,
        },
      ]);
      expect((await store.getAction(id))?.command).toEqual({ type: 'show-ladder', monitor: 'ImapCTPMonitor' });
      expect(await store.getAction(uid('nope'))).toBeUndefined();
      const conversation = `test:${uid('c')}`;
      await store.putConversation({ conversation, lastServer: 'SERVER1', updatedAt: inc.openedAt });
      await store.putConversation({
        conversation,
        lastServer: 'SERVER2',
        lastHealthSet: 'IMAP',
        updatedAt: inc.openedAt,
      });
      expect(await store.getConversation(conversation)).toEqual({
        conversation,
        lastServer: 'SERVER2',
        lastHealthSet: 'IMAP',
        updatedAt: inc.openedAt,
      });
      await store.close();
    });

    it('keeps named values for adapters, last writer wins, and returns copies', async () => {
      const store = await open();
      const key = `test:${uid('v')}`;
      expect(await store.getValue(key)).toBeUndefined();
      const reference = {
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        conversation: { id: '19:abc@thread.tacv2' },
        note: 'ä "q" <b>',
      };
      await store.putValue(key, reference);
      await store.putValue(key, { ...reference, note: 'second' });
      const got = await store.getValue<typeof reference>(key);
      expect(got).toEqual({ ...reference, note: 'second' });
      got!.note = 'changed by the caller';
      expect((await store.getValue<typeof reference>(key))?.note).toBe('second');
      await store.close();
    });

    it('hands each due timer to exactly one claimer, and never one that is not due', async () => {
      const store = await open();
      const incidentId = uid('inc');
      const base = Date.UTC(2030, 0, 1);
      for (let i = 0; i < 10; i++)
        await store.scheduleTimer({
          id: `${incidentId}:${i}`,
          incidentId,
          dueAt: new Date(base + i * 1000).toISOString(),
          payload: { type: 'wait', i },
        });
      expect(
        (await store.claimDueTimers(new Date(base - 1), 100, 60_000)).filter((t) => t.incidentId === incidentId),
      ).toEqual([]);
      const claims = await Promise.all(
        Array.from({ length: 5 }, () => store.claimDueTimers(new Date(base + 7000), 100, 60_000)),
      );
      const mine = claims.flat().filter((t) => t.incidentId === incidentId);
      expect(mine.map((t) => t.id).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `${incidentId}:${i}`).sort());
      expect(mine.find((t) => t.id === `${incidentId}:3`)).toMatchObject({
        payload: { type: 'wait', i: 3 },
        dueAt: new Date(base + 3000).toISOString(),
        attempts: 1,
      });
      await store.cancelTimers(incidentId);
      expect(
        (await store.claimDueTimers(new Date(base + 600_000), 100, 60_000)).filter((t) => t.incidentId === incidentId),
      ).toEqual([]);
      await store.close();
    });

    it('leases a claimed timer: it comes back after the lease unless completed (a crash while firing loses nothing)', async () => {
      const store = await open();
      const incidentId = uid('inc');
      const base = Date.UTC(2031, 0, 1);
      const mine = async (at: number) =>
        (await store.claimDueTimers(new Date(at), 100, 60_000)).filter((t) => t.incidentId === incidentId);
      await store.scheduleTimer({
        id: `${incidentId}:done`,
        incidentId,
        dueAt: new Date(base).toISOString(),
        payload: { type: 'wait' },
      });
      await store.scheduleTimer({
        id: `${incidentId}:crashed`,
        incidentId,
        dueAt: new Date(base).toISOString(),
        payload: { type: 'wait' },
      });
      expect((await mine(base)).map((t) => t.id).sort()).toEqual([`${incidentId}:crashed`, `${incidentId}:done`]);
      await store.completeTimer(`${incidentId}:done`);
      expect(await mine(base + 59_000)).toEqual([]);
      const again = await mine(base + 60_000);
      expect(again.map((t) => [t.id, t.attempts])).toEqual([[`${incidentId}:crashed`, 2]]);
      await store.completeTimer(`${incidentId}:crashed`);
      expect(await mine(base + 3_600_000)).toEqual([]);
      await store.close();
    });

    it('chains the audit log without gaps under concurrent appends, and verification finds tampering', async () => {
      const store = await open();
      const incidentId = uid('inc');
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          store.appendAudit({
            type: 'probe',
            at: new Date().toISOString(),
            incidentId,
            actor: alice,
            data: { i, text: 'ä "quoted" <b>' },
          }),
        ),
      );
      const all = await store.readAudit();
      expect(all.map((r) => r.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
      const key = CONTRACT_AUDIT_KEY;
      expect(verifyAuditChain(all, { key })).toMatchObject({ ok: true, checked: all.length });
      expect(all.every((r) => r.keyId === key.id)).toBe(true);
      const mine = await store.readAudit({ incidentId });
      expect(mine).toHaveLength(25);
      const edited = all.map((r) => (r.seq === all.length - 3 ? { ...r, data: { ...r.data, i: 999 } } : r));
      expect(verifyAuditChain(edited, { key }).problems).toEqual([
        { seq: all.length - 3, problem: expect.stringMatching(/changed/) },
      ]);
      const dropped = all.filter((r) => r.seq !== 2);
      expect(verifyAuditChain(dropped, { key }).ok).toBe(false);
      const reordered = [all[1]!, all[0]!, ...all.slice(2)];
      expect(verifyAuditChain(reordered, { key }).problems[0]).toMatchObject({
        seq: 1,
        problem: expect.stringMatching(/out of order/),
      });
      // The head is the newest record; an anchor of it catches the newest records' deletion.
      const head = await store.auditHead();
      expect(head).toEqual({ seq: all.at(-1)!.seq, hash: all.at(-1)!.hash, at: all.at(-1)!.at });
      expect(verifyAuditChain(all.slice(0, -2), { key, anchors: [head!] })).toMatchObject({
        ok: false,
        missingSinceAnchor: { from: all.length - 1, to: all.length },
      });
      // Without the key nothing keyed passes as checked.
      expect(verifyAuditChain(all)).toMatchObject({ ok: false, keyMissing: true });
      await store.close();
    });

    it('says whether it is healthy', async () => {
      const store = await open();
      expect((await store.health()).ok).toBe(true);
      await store.close();
    });
  });
}
