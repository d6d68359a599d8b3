/**
 * Exactly once across replicas: two engines, each with its own lab gateway and its own store
 * connection pool, sharing one PostgreSQL schema. Fifty approve clicks from several approvers,
 * some of them redelivered, spread over both engines, must run the restart exactly once.
 */
import { describe, expect, it } from 'vitest';
import { openStore, auditKey } from '../../src/store/index.ts';
import { missingPrerequisite, testDatabaseUrl } from '../support/prerequisites.ts';
import { createHarness } from './harness.ts';

/** Signs the audit records of this run's stores (not a secret: nothing here outlives the run). */
const AUDIT_KEY = auditKey('healthbot-test-audit-key-0123456789abcdef');

const url = testDatabaseUrl();

describe('two engines on one PostgreSQL database', () => {
  if (!url) {
    missingPrerequisite('needs TEST_DATABASE_URL (a PostgreSQL server) to run');
    return;
  }

  it('run an approved step exactly once under 50 concurrent approvals and redeliveries', async () => {
    const schema = `hb_engines_${process.pid}_${Date.now().toString(36)}`;
    const [storeA, storeB] = await Promise.all([
      openStore({ databaseUrl: url, dataDir: '', schema, auditKey: AUDIT_KEY }),
      openStore({ databaseUrl: url, dataDir: '', schema, auditKey: AUDIT_KEY }),
    ]);
    try {
      const a = await createHarness('imap-backend-hang', { store: storeA });
      const b = await createHarness('imap-backend-hang', { store: storeB });
      await a.ask("what's wrong with IMAP on server1?");
      await a.click(a.button(a.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/), a.people.alice);
      const approve = a.button(a.lastCard('approval'), /^Approve$/);
      const approvers = [a.people.bob, a.people.dave, b.people.bob, b.people.dave];
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const engine = i % 2 ? a : b;
          // Every fifth click is a redelivery of an earlier event id.
          const eventId = i % 5 === 4 ? `click-${i - 1}` : `click-${i}`;
          return engine.click(approve, approvers[i % approvers.length]!, 'test:c1', eventId);
        }),
      );
      const restarts = [...a.gateway.ran, ...b.gateway.ran].filter((op) => op.kind === 'restart-service');
      expect(restarts).toHaveLength(1);
      const [approval] = await storeA.listApprovals();
      expect(approval?.state).toBe('succeeded');
      expect(approval?.approvals).toHaveLength(1);
      const started = (await storeB.readAudit()).filter((r) => r.type === 'action-started');
      expect(started).toHaveLength(1);
    } finally {
      await Promise.all([storeA.close(), storeB.close()]);
    }
  }, 30_000);
});
