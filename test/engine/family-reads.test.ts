/**
 * The runbook families' new reads on the card: replication checks and the DAG (DataProtection),
 * queues and service health (transport), IIS sites (the HTTP ladders). Each says what it found,
 * and an empty answer says that nothing was read.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

describe('the families’ reads on the diagnosis card', () => {
  it('DataProtection: Test-ReplicationHealth names the Replication service, the DAG shows the member down', async () => {
    const h = await createHarness('dataprotection-repl-stopped');
    await h.ask('dag replication on server2');
    await h.walkUntil(/^Run the replication checks on SERVER2/);
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toMatch(/of 11 replication checks did not pass on SERVER2/);
    expect(text).toContain(
      'ReplayService: Failed (The Microsoft Exchange Replication service is not running on SERVER2.)',
    );
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toBe('Check the DAG of SERVER2');
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    expect(cardText(h.lastCard('diagnosis'))).toContain('DAG DAG1: SERVER2 not operational (3 members).');
  });

  it('HubTransport: a draining server holds its submissions in a suspended queue', async () => {
    const h = await createHarness('hubtransport-draining');
    const queues = await h.gateway.run({ kind: 'get-queue', server: 'MBX1' });
    expect(queues.queues.find((q) => q.identity === 'MBX1\\Submission')).toMatchObject({
      status: 'Suspended',
      messageCount: 42,
    });
  });

  it('MailboxTransport (verify only): reads the services and the queues, names the stuck queue, and ends in escalation', async () => {
    const h = await createHarness('mailboxtransport-delivery');
    await h.ask('mailbox transport on mbx1');
    expect(h.lastCard('diagnosis')!.facts.find((f) => f.label === 'Failing')?.value).toContain(
      'MailboxDeliveryAvailabilityMonitor',
    );
    const labels = await h.walkUntil(/^Check the transport queues of MBX1/);
    expect(labels).toContain('Check that the Exchange services of MBX1 run');
    expect(cardText(h.lastCard('diagnosis'))).toContain('Every required Exchange service runs on MBX1.');
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain('MBX1 has 2 transport queues with 318 messages in all.');
    expect(text).toContain(
      'MBX1\\1234: Retry, 318 messages, last error 432 4.3.2 STOREDRV; mailbox database is offline',
    );
    await h.walkUntil(/^Escalate/);
    expect(h.lastCard('diagnosis')!.actions.some((a) => /Escalate/.test(a.label))).toBe(true);
  });

  it('the HTTP ladders read the IIS sites with their 443 and 444 bindings', async () => {
    const h = await createHarness('owa-apppool');
    await h.ask('owa proxy on server1');
    await h.walkUntil(/^Check the IIS sites of SERVER1/);
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain('Default Web Site: Started (http 80, https 443)');
    expect(text).toContain('Exchange Back End: Started (http 81, https 444)');
  });

  it('an empty answer is reported as nothing read, never as healthy', async () => {
    const empty: Partial<Record<Operation['kind'], unknown>> = {
      'test-replication-health': { server: 'SERVER2', checks: [] },
      'get-dag-status': { server: 'SERVER2', dag: 'DAG1', members: ['SERVER1', 'SERVER2'], operationalServers: [] },
    };
    const h = await createHarness('dataprotection-repl-stopped', {
      wrapGateway: interceptRun((op, next) => (op.kind in empty ? Promise.resolve(empty[op.kind]) : next())),
    });
    await h.ask('dag replication on server2');
    await h.walkUntil(/^Run the replication checks on SERVER2/);
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    expect(cardText(h.lastCard('diagnosis'))).toContain(
      'Test-ReplicationHealth returned no checks for SERVER2: replication was not read.',
    );
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    expect(cardText(h.lastCard('diagnosis'))).toContain('DAG DAG1: SERVER1, SERVER2 not operational (2 members).');
  });
});
