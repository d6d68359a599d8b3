/**
 * One incident per problem across replicas: two engines with their own intakes share one
 * PostgreSQL schema. The same problem reported by several senders, redelivered, and delivered to
 * both replicas at once opens exactly one incident with one alert card; every distinct delivery
 * is counted on it once.
 */
import { describe, expect, it } from 'vitest';
import type { Alert, AlertRecord } from '../../src/core/alerts/index.ts';
import { createAlertIntake, problemKey } from '../../src/core/alerts/index.ts';
import { auditKey, openStore } from '../../src/store/index.ts';
import { missingPrerequisite, testDatabaseUrl } from '../support/prerequisites.ts';
import { createHarness } from '../engine/harness.ts';
import { recordingChannel } from './channel.ts';

const AUDIT_KEY = auditKey('healthbot-test-audit-key-0123456789abcdef');
const url = testDatabaseUrl();

const alert = (deliveryId: string, source: Alert['source'], at: string): Alert => ({
  server: 'SERVER1',
  healthSet: 'IMAP',
  monitor: 'ImapCTPMonitor',
  state: 'raised',
  at,
  source,
  text: `IMAP unhealthy on SERVER1 (${source})`,
  deliveryId,
});

describe('alerts on two engines sharing PostgreSQL', () => {
  if (!url) {
    missingPrerequisite('needs TEST_DATABASE_URL (a PostgreSQL server) to run');
    return;
  }

  it('open exactly one incident for one problem, whatever the replicas and redeliveries', async () => {
    const schema = `hb_alerts_${process.pid}_${Date.now().toString(36)}`;
    const [storeA, storeB] = await Promise.all([
      openStore({ databaseUrl: url, dataDir: '', schema, auditKey: AUDIT_KEY }),
      openStore({ databaseUrl: url, dataDir: '', schema, auditKey: AUDIT_KEY }),
    ]);
    try {
      const a = await createHarness('imap-backend-hang', { store: storeA, overrides: { instanceId: 'replica-a' } });
      const b = await createHarness('imap-backend-hang', { store: storeB, overrides: { instanceId: 'replica-b' } });
      const channelA = recordingChannel(a.surface, 'a');
      const channelB = recordingChannel(b.surface, 'b');
      const intakeA = createAlertIntake({ ctx: a.engine.context, channels: () => [channelA] });
      const intakeB = createAlertIntake({ ctx: b.engine.context, channels: () => [channelB] });
      const deliveries = [
        alert('am:5f1a:raised', 'alertmanager', '2026-11-24T13:58:00.000Z'),
        alert('scom:8e0c:0', 'scom', '2026-11-24T13:58:01.000Z'),
        alert('event:SERVER1:1184207', 'event-log', '2026-11-24T13:58:02.000Z'),
      ];
      // Each delivery reaches both replicas (a load balancer retrying), twice, all at once.
      await Promise.all([...deliveries, ...deliveries].flatMap((d) => [intakeA.accept([d]), intakeB.accept([d])]));
      await Promise.all([intakeA.drain(), intakeB.drain(), intakeA.drain(), intakeB.drain()]);
      const incidents = await storeA.listIncidents(10);
      expect(incidents).toHaveLength(1);
      expect(channelA.posted.length + channelB.posted.length).toBe(1);
      const record = await storeB.getValue<AlertRecord>(problemKey('SERVER1', 'IMAP'));
      expect(record).toMatchObject({ open: true, count: 3, incidentId: incidents[0]!.id });
      expect(await storeA.listValues('alerts:inbox:', 10)).toEqual([]);
    } finally {
      await Promise.all([storeA.close(), storeB.close()]);
    }
  }, 60_000);
});
