/**
 * A Mailbox server restart runs only when, read again at execution: it holds no active copy, no
 * other DAG member is blocked or in maintenance, and each of its databases keeps another copy that
 * could take over (Healthy, queues under the limits, content index Healthy). A standalone server
 * restarts with a plain warning that its databases are offline meanwhile.
 */
import { describe, expect, it } from 'vitest';
import type { RestartReadiness } from '../../src/core/index.ts';
import { DEFAULT_RESTART_LIMITS, readinessBlocker } from '../../src/core/engine/restart-preconditions.ts';
import { loadConfig } from '../../src/config.ts';
import type { Harness } from './harness.ts';
import { cardText, createHarness } from './harness.ts';

async function next(h: Harness): Promise<string> {
  const action = h.lastCard('diagnosis')!.actions[0]!;
  await h.click(action.id, h.people.alice);
  return action.label;
}

async function approveAs(h: Harness, ...people: (keyof Harness['people'])[]): Promise<void> {
  for (const p of people) await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people[p]);
}

describe('restart preconditions on the lab', () => {
  it('reboot-blocked-by-lagging-copy: the restart is refused, naming DB03 and the copy queue of its copy on SERVER1', async () => {
    const h = await createHarness('reboot-blocked-by-lagging-copy');
    await h.ask('imap proxy on server2');
    expect(await next(h)).toBe('Restart MSExchangeIMAP4 on SERVER2');
    await approveAs(h, 'bob');
    expect(await next(h)).toMatch(/ImapProxyTestProbe/);
    expect(await next(h)).toBe('Move active databases off SERVER2 and block activation');
    await approveAs(h, 'bob');
    expect(await next(h)).toMatch(/database copies on SERVER2/);
    // A planned restart: transport drained, queued mail handed over, the server taken offline.
    expect(await h.walkUntil(/^Restart the server SERVER2$/)).toEqual([
      'Drain HubTransport on SERVER2 (requester Maintenance)',
      'Redirect the messages queued on SERVER2 to server1.contoso.com',
      'Set ServerWideOffline Inactive on SERVER2 (requester Maintenance)',
    ]);
    expect(await next(h)).toBe('Restart the server SERVER2');
    await approveAs(h, 'bob', 'dave');
    expect(h.gateway.ran.some((op) => op.kind === 'restart-server')).toBe(false);
    const refusal =
      'Not run: DB03 has no other copy ready to take over while SERVER2 restarts: its copy on SERVER1 has CopyQueueLength 312 (limit 10).';
    expect(cardText(h.lastCard('diagnosis'))).toContain(refusal);
    const [approval] = await h.store.listApprovals({ states: ['failed'] });
    expect(approval?.operation.kind).toBe('restart-server');
    const audit = await h.store.readAudit({ incidentId: approval!.incidentId });
    expect(audit.find((r) => r.type === 'action-finished' && r.data.ran === false)?.data.reason).toBe(
      'precondition.copyBehind',
    );
  });

  it('the limits come from configuration: with HEALTHBOT_RESTART_MAX_COPY_QUEUE=400 the same restart runs', async () => {
    const { restartLimits } = loadConfig({ HEALTHBOT_RESTART_MAX_COPY_QUEUE: '400' });
    const h = await createHarness('reboot-blocked-by-lagging-copy', { overrides: { restartLimits } });
    await h.ask('imap proxy on server2');
    await h.walkUntil(/^Restart the server SERVER2$/);
    expect(await next(h)).toBe('Restart the server SERVER2');
    await approveAs(h, 'bob', 'dave');
    expect(h.gateway.ran.some((op) => op.kind === 'restart-server')).toBe(true);
    expect(cardText(h.lastCard('diagnosis'))).not.toContain('CopyQueueLength 312');
  });

  it('a standalone Mailbox server: no move step, the card says its databases are offline, and the restart runs', async () => {
    const h = await createHarness('standalone-mailbox');
    await h.ask('imap protocol on mbx2');
    expect(await next(h)).toBe('Restart MSExchangeIMAP4BE on MBX2');
    await approveAs(h, 'bob');
    expect(await next(h)).toMatch(/ImapDeepTestProbe/);
    await h.walkUntil(/^Restart the server MBX2$/);
    const card = h.lastCard('diagnosis')!;
    expect(card.actions[0]!.label).toBe('Restart the server MBX2');
    expect(cardText(card)).toContain('MBX2 is not a member of a DAG: its databases are offline until it is back up.');
    await next(h);
    await approveAs(h, 'bob', 'dave');
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-server')).toEqual([
      { kind: 'restart-server', server: 'MBX2' },
    ]);
    expect(h.gateway.ran.some((op) => op.kind === 'set-database-activation')).toBe(false);
  });
});

describe('restart preconditions, each refusal', () => {
  const base: RestartReadiness = {
    server: 'MBX1',
    dag: 'DAG1',
    members: [
      {
        server: 'SERVER1',
        activationPolicy: 'Unrestricted',
        activationDisabledAndMoveNow: false,
        serverWideOffline: 'Active',
      },
    ],
    copies: [
      { database: 'DB01', server: 'MBX1', status: 'Healthy' },
      { database: 'DB01', server: 'SERVER1', status: 'Mounted' },
      {
        database: 'DB01',
        server: 'SERVER2',
        status: 'Healthy',
        copyQueueLength: 2,
        replayQueueLength: 0,
        contentIndexState: 'Healthy',
      },
    ],
  };
  const blocked = (r: RestartReadiness) => readinessBlocker(r, DEFAULT_RESTART_LIMITS);

  it('allows a restart when a passive copy elsewhere is ready, or the only other copy is the active one', () => {
    expect(blocked(base)).toBeUndefined();
    expect(blocked({ ...base, copies: base.copies.slice(0, 2) })).toBeUndefined();
  });

  it('names the member in maintenance or blocked from activation', () => {
    expect(blocked({ ...base, members: [{ ...base.members[0]!, serverWideOffline: 'Inactive' }] })).toEqual({
      key: 'precondition.member.maintenance',
      vars: { server: 'MBX1', member: 'SERVER1', dag: 'DAG1' },
    });
    expect(blocked({ ...base, members: [{ ...base.members[0]!, activationPolicy: 'Blocked' }] })?.key).toBe(
      'precondition.member.blocked',
    );
    expect(blocked({ ...base, members: [{ ...base.members[0]!, activationDisabledAndMoveNow: true }] })?.key).toBe(
      'precondition.member.blocked',
    );
  });

  it('names the database, the copy and the figure: FailedAndSuspended, replay queue, content index, no copy at all', () => {
    const withCopy = (patch: object) => ({
      ...base,
      copies: [base.copies[0]!, base.copies[1]!, { ...base.copies[2]!, ...patch }],
    });
    expect(blocked(withCopy({ status: 'FailedAndSuspended' }))).toEqual({
      key: 'precondition.copyNotHealthy',
      vars: { status: 'FailedAndSuspended', server: 'MBX1', database: 'DB01', copy: 'SERVER2' },
    });
    expect(blocked(withCopy({ replayQueueLength: 500 }))).toEqual({
      key: 'precondition.copyBehind',
      vars: { figure: 'ReplayQueueLength', value: 500, limit: 100, server: 'MBX1', database: 'DB01', copy: 'SERVER2' },
    });
    expect(blocked(withCopy({ contentIndexState: 'Failed' }))?.vars).toMatchObject({
      state: 'Failed',
      copy: 'SERVER2',
    });
    expect(blocked({ ...base, copies: [base.copies[0]!] })).toEqual({
      key: 'precondition.noOtherCopy',
      vars: { server: 'MBX1', database: 'DB01' },
    });
  });

  it('a standalone server is not refused for having nowhere to fail over', () => {
    expect(
      blocked({ server: 'MBX2', members: [], copies: [{ database: 'DB05', server: 'MBX2', status: 'Mounted' }] }),
    ).toBeUndefined();
  });
});
