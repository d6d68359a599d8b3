/**
 * A restart is waited out: the server goes down, comes back with a newer boot time, its services
 * run, its components turn Active one by one, Managed Availability settles, and only then is the
 * probe rerun. The card shows each phase; a server that does not come back is never resolved.
 */
import { describe, expect, it } from 'vitest';
import type { RebootWatch, ServerState } from '../../src/core/index.ts';
import { GatewayError } from '../../src/core/index.ts';
import { nextWatch } from '../../src/core/engine/reboot-watch.ts';
import type { Harness } from './harness.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

const reboot = { pollSeconds: 5, settleSeconds: 60, limitMinutes: 30 };

async function restartMbx2(h: Harness): Promise<void> {
  await h.ask('imap protocol on mbx2');
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
  await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice); // rerun: still failing
  await h.walkUntil(/^Restart the server MBX2$/);
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
  for (const p of ['bob', 'dave'] as const) await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people[p]);
}

describe('a restart is waited out', () => {
  it('shows each phase, offers nothing on the ladder meanwhile, and judges only after the settle time', async () => {
    const h = await createHarness('standalone-mailbox', { overrides: { reboot } });
    await restartMbx2(h);
    const probesAt = () => h.gateway.ran.filter((op) => op.kind === 'invoke-probe' && op.server === 'MBX2').length;
    const probesBefore = probesAt();
    // The lab mended the fault when the restart began; the engine does not call it resolved yet.
    let card = h.lastCard('diagnosis')!;
    expect(card.title).toBe('IMAP.Protocol on MBX2: problem confirmed');
    expect(cardText(card)).toMatch(/Restart of MBX2, waited out/);
    expect(cardText(card)).toMatch(/… MBX2 goes down/);
    expect(card.actions.some((a) => /Rerun .*ImapDeepTestProbe|Escalate$/.test(a.label) && a.style === 'primary')).toBe(
      false,
    );

    h.clock.advance(5_000);
    await h.engine.tick();
    card = h.lastCard('diagnosis')!;
    expect(cardText(card)).toMatch(/✓ MBX2 goes down/);
    expect(cardText(card)).toMatch(/… MBX2 answers again with a new boot time/);

    h.clock.advance(30_000);
    await h.engine.tick();
    card = h.lastCard('diagnosis')!;
    expect(cardText(card)).toMatch(/✓ MBX2 answers again with a new boot time/);
    expect(cardText(card)).toMatch(/Still waiting on: .*Inactive/);
    expect(probesAt()).toBe(probesBefore);

    // Components come back one by one; then the settle time; only then the probe.
    for (let i = 0; i < 8; i++) {
      h.clock.advance(5_000);
      await h.engine.tick();
    }
    card = h.lastCard('diagnosis')!;
    expect(cardText(card)).toMatch(/✓ every server component is Active/);
    expect(cardText(card)).toMatch(/… Managed Availability settles \(until /);
    expect(probesAt()).toBe(probesBefore);
    expect(card.title).not.toMatch(/resolved/);

    h.clock.advance(60_000);
    await h.engine.tick();
    expect(probesAt()).toBe(probesBefore + 1);
    expect(h.lastCard('diagnosis')!.title).toBe('IMAP.Protocol on MBX2: resolved');
    const [incident] = await h.store.listIncidents(1);
    expect(incident!.reboot).toBeUndefined();
    const phases = (await h.store.readAudit({ incidentId: incident!.id })).filter(
      (r) => r.type === 'check' && String(r.data.summary).startsWith('restart of MBX2'),
    );
    expect(phases.map((r) => r.data.summary)).toEqual([
      'restart of MBX2: going-down done',
      'restart of MBX2: booted done',
      'restart of MBX2: services done',
      'restart of MBX2: components done',
      'restart of MBX2 waited out; settle time over',
    ]);
  });

  it('a server that does not come back within the limit is reported as not back, never resolved', async () => {
    const h = await createHarness('standalone-mailbox', {
      overrides: { reboot },
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'get-server-state')
          throw new GatewayError('unavailable', 'mbx2.contoso.com does not answer', { server: op.server });
        return next();
      }),
    });
    await restartMbx2(h);
    h.clock.advance(29 * 60_000);
    await h.engine.tick();
    expect(h.lastCard('diagnosis')!.title).toBe('IMAP.Protocol on MBX2: problem confirmed');
    h.clock.advance(60_000);
    await h.engine.tick();
    const card = h.lastCard('diagnosis')!;
    expect(card.title).toBe('IMAP.Protocol on MBX2: problem confirmed');
    expect(cardText(card)).toMatch(/MBX2 is not back after 30 minutes \(still waiting for: booted\)/);
    // The ladder is a person's again: the next step is offered.
    expect(card.actions[0]!.label).toBe('Set ServerWideOffline Active on MBX2 (requester Maintenance)');
    const [incident] = await h.store.listIncidents(1);
    expect(incident!.status).toBe('confirmed');
    expect(
      (await h.store.readAudit({ incidentId: incident!.id })).some(
        (r) => r.type === 'error' && r.data.code === 'not-back',
      ),
    ).toBe(true);
    // No more timers: it stays reported, it is not polled forever.
    const before = h.gateway.ran.length;
    h.clock.advance(60 * 60_000);
    await h.engine.tick();
    expect(h.gateway.ran.length).toBe(before);
  });

  it('a server still answering with its old boot time has not gone down yet', () => {
    const w: RebootWatch = {
      server: 'S',
      issuedAt: '2026-11-24T14:00:00.000Z',
      phase: 'going-down',
      seen: {},
      deadline: '2026-11-24T14:30:00.000Z',
      after: { approverNames: 'bob', label: 'x', healthSet: 'IMAP', monitor: 'M' },
    };
    const old: ServerState = {
      server: 'S',
      lastBootUpTime: '2026-10-01T00:00:00.000Z',
      components: [],
      servicesNotRunning: [],
    };
    const now = new Date('2026-11-24T14:00:10Z');
    expect(nextWatch(w, old, now, 600).phase).toBe('going-down');
    const back = nextWatch(
      w,
      { ...old, lastBootUpTime: '2026-11-24T14:00:40.000Z', servicesNotRunning: ['MSExchangeIS'] },
      now,
      600,
    );
    expect(back).toMatchObject({ phase: 'services', waitingOn: ['MSExchangeIS'] });
    const up = nextWatch(back, { ...old, lastBootUpTime: '2026-11-24T14:00:40.000Z' }, now, 600);
    expect(up).toMatchObject({ phase: 'settling', settleUntil: '2026-11-24T14:10:10.000Z' });
  });
});
