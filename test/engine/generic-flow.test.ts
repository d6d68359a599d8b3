/**
 * The generic flow for a health set without a runbook (issue 13 item 3), on the lab's FreeBusy:
 * monitors from Get-ServerHealth, their probes from Get-MonitoringItemIdentity, the invocable one
 * rerun, history for the one that cannot be and for the counter-fed one, the events, and a card
 * that says plainly no documented recovery exists, ending in an escalation with a timeline.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/core/index.ts';
import { GatewayError } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

describe('the generic flow for a health set without a runbook', () => {
  it('checks what can be checked, says no documented recovery exists, and escalates with a timeline', async () => {
    const h = await createHarness('freebusy-no-runbook');
    await h.ask("what's wrong with free busy on server1?");
    const card = h.lastCard('diagnosis');
    const text = cardText(card);
    expect(card!.title).toBe('FreeBusy on SERVER1: problem confirmed');
    expect(text).toContain('No documented recovery exists for FreeBusy. What was checked:');
    expect(text).toContain('Get-MonitoringItemIdentity: 5 monitoring items of FreeBusy');
    expect(text).toContain('FreeBusyCTPMonitor: reran FreeBusyCTPProbe → Failed');
    expect(text).toContain('FreeBusyRequestFailureMonitor: FreeBusyRequestFailureProbe could not be rerun (failed)');
    expect(text).toContain('FreeBusyLatencyMonitor: no probe of its own');
    expect(card!.facts).toContainEqual({
      label: 'Probe rerun',
      value: 'FreeBusy\\FreeBusyCTPProbe on SERVER1 → Failed after 0.0 s',
    });
    expect(card!.facts).toContainEqual({
      label: 'History of FreeBusyRequestFailureMonitor',
      value: 'flapping: 8 of 12 failed since 13:05',
    });
    expect(card!.facts).toContainEqual({
      label: 'History of FreeBusyLatencyMonitor',
      value: 'failing since 13:30 (4 of the last 6 failed)',
    });
    // No ladder: nothing state-changing is offered for a set nobody documented.
    expect(card!.actions.map((a) => a.label)).toEqual(['Rerun probe', 'Escalate']);

    // What ran: the items once, the invocable probe, one history read for the probe that cannot run, one for the counter monitor.
    const ran = h.gateway.ran.filter((op) =>
      ['get-monitoring-item-identity', 'invoke-probe', 'get-probe-history'].includes(op.kind),
    );
    expect(ran).toEqual(
      expect.arrayContaining<Operation>([
        { kind: 'get-monitoring-item-identity', server: 'SERVER1', healthSet: 'FreeBusy' },
        {
          kind: 'invoke-probe',
          server: 'SERVER1',
          healthSet: 'FreeBusy',
          probe: 'FreeBusyCTPProbe',
          targetResource: 'FreeBusy',
        },
        {
          kind: 'get-probe-history',
          server: 'SERVER1',
          resultNames: ['FreeBusyRequestFailureProbe', 'FreeBusyRequestFailureProbe/FreeBusy'],
          sinceMinutes: 120,
        },
        {
          kind: 'get-probe-history',
          server: 'SERVER1',
          resultNames: [],
          monitors: ['FreeBusyLatencyMonitor'],
          sinceMinutes: 120,
        },
      ]),
    );
    expect(ran.filter((op) => op.kind === 'get-monitoring-item-identity')).toHaveLength(1);

    await h.click(h.button(card, /^Escalate$/), h.people.carol);
    const timeline = cardText(h.lastCard('timeline'));
    expect(timeline).toContain('List the monitoring items of FreeBusy on SERVER1: 5 items');
    expect(timeline).toContain('Rerun FreeBusy\\FreeBusyCTPProbe on SERVER1: FreeBusyCTPMonitor: Failed');
    expect(timeline).toContain(
      'Read the probe history on SERVER1: FreeBusyRequestFailureMonitor: 8 of 12 results failed',
    );
    expect(timeline).toContain('Read what Managed Availability did on SERVER1: no recovery actions');
    expect(timeline).toContain('carol escalated the incident');
    expect(h.lastCard('diagnosis')!.title).toMatch(/escalated/i);
  });

  it('a probe that passes on rerun makes the monitor transient, and unreadable items are said so', async () => {
    const h = await createHarness('freebusy-no-runbook', {
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'get-monitoring-item-identity')
          throw new GatewayError('permission-denied', 'Get-MonitoringItemIdentity is not in your role');
        return next();
      }),
    });
    await h.ask("what's wrong with free busy on server1?");
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain('Get-MonitoringItemIdentity not read (access denied)');
    // Without the items no probe is known: nothing was rerun, and each monitor's history is read by its definition.
    expect(h.gateway.ran.some((op) => op.kind === 'invoke-probe')).toBe(false);
    expect(
      h.gateway.ran
        .filter((op) => op.kind === 'get-probe-history')
        .map((op) => (op as { monitors?: readonly string[] }).monitors),
    ).toEqual([['FreeBusyCTPMonitor'], ['FreeBusyRequestFailureMonitor'], ['FreeBusyLatencyMonitor']]);

    const passing = await createHarness('freebusy-no-runbook', {
      wrapGateway: interceptRun(async (op, next) => {
        const answer = await next();
        return op.kind === 'invoke-probe'
          ? { ...(answer as object), resultType: 'Succeeded', error: undefined }
          : answer;
      }),
    });
    await passing.ask("what's wrong with free busy on server1?");
    expect(cardText(passing.lastCard('diagnosis'))).toContain('FreeBusyCTPMonitor: reran FreeBusyCTPProbe → Succeeded');
  });
});
