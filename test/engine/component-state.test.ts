/**
 * Server components before any action: a component the health set depends on that is held
 * Inactive is set Active with the same requester, first, and nothing on the ladder (no recycle, no
 * restart) is offered until it is. The card says who set it and when.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

const RESTARTS = /Restart|Recycle|IISReset|Move active databases/;

describe('held server components', () => {
  it('maintenance-left-on: exiting maintenance comes first, as one step, and no restart is offered', async () => {
    const h = await createHarness('maintenance-left-on');
    await h.ask("what's wrong with IMAP on server2?");
    const card = h.lastCard('diagnosis')!;
    // Everything maintenance holds, in the documented order, as one approved step (issue 14.3).
    expect(card.actions[0]!.label).toBe(
      'Exit maintenance on SERVER2: Set ServerWideOffline Active on SERVER2 (requester Maintenance); Resume the cluster node SERVER2 (Resume-ClusterNode); Allow database activation on SERVER2 again; Set HubTransport Active on SERVER2 (requester Maintenance)',
    );
    expect(card.actions.map((a) => a.label).filter((l) => RESTARTS.test(l))).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('ServerWideOffline Inactive, set by Maintenance at 11:00');
    expect(text).toContain('HubTransport Draining, set by Maintenance at 10:58');
    expect(text).toContain('SERVER2 takes no active databases (activation blocked)');
    expect(text).toMatch(/a reboot would not lift them/);

    await h.click(card.actions[0]!.id, h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    expect(h.gateway.ran).toContainEqual({
      kind: 'set-server-component-state',
      server: 'SERVER2',
      component: 'ServerWideOffline',
      state: 'Active',
      requester: 'Maintenance',
    });
    const after = h.lastCard('diagnosis')!;
    expect(after.title).toBe('IMAP on SERVER2: resolved');
    expect(after.actions.some((a) => /Exit maintenance|Allow database activation/.test(a.label))).toBe(false);
    expect(h.gateway.ran.some((op) => op.kind === 'restart-server' || op.kind === 'restart-service')).toBe(false);
  });

  it('ecp-component-inactive: EcpProxy set Active again by HealthAPI, not a recycle', async () => {
    const h = await createHarness('ecp-component-inactive');
    await h.ask('ecp on server1');
    const card = h.lastCard('diagnosis')!;
    expect(card.title).toBe('ECP.Proxy on SERVER1: problem confirmed');
    expect(card.actions[0]!.label).toBe('Set EcpProxy Active on SERVER1 (requester HealthAPI)');
    expect(cardText(card)).toContain('EcpProxy Inactive, set by HealthAPI at 13:00');
    expect(card.actions.map((a) => a.label).filter((l) => RESTARTS.test(l))).toEqual([]);
    await h.click(card.actions[0]!.id, h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    expect(h.lastCard('diagnosis')!.title).toBe('ECP.Proxy on SERVER1: resolved');
    expect(h.gateway.ran.some((op) => op.kind === 'recycle-app-pool' || op.kind === 'iis-reset')).toBe(false);
  });

  it('says so when the component states cannot be read, and does not call them Active', async () => {
    const h = await createHarness('ecp-apppool', {
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'get-server-state')
          throw new GatewayError('timeout', 'Get-ServerComponentState took too long', { server: op.server });
        return next();
      }),
    });
    await h.ask('ecp on server1');
    expect(cardText(h.lastCard('diagnosis'))).toContain(
      'The server component states of SERVER1 could not be read: whether one is held Inactive is unknown.',
    );
  });

  it('a stale fix button is refused once the component is Active', async () => {
    const h = await createHarness('ecp-component-inactive');
    await h.ask('ecp on server1');
    const fix = h.lastCard('diagnosis')!.actions[0]!;
    await h.click(fix.id, h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    await h.click(fix.id, h.people.alice);
    expect(cardText(h.privateTo('alice').at(-1))).toMatch(/older state of this card/);
  });
});
