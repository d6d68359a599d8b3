/**
 * The back-end gate: while the Mailbox server named by the CTP probe is unhealthy, the incident
 * walks the back end's own ladder in place (same incident, same card, the timeline says why); when
 * the probe names no back end, the card says which back-end steps are left out.
 */
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

describe('the back-end gate', () => {
  it("an unhealthy back end: the same incident and card switch in place to the back end's own ladder, and the timeline says why", async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask('imap on server1');
    const card = h.lastCard('diagnosis')!;
    expect(card.title).toBe('IMAP on SERVER1: problem confirmed');
    expect(card.actions[0]!.label).toBe('Restart MSExchangeIMAP4BE on MBX1');
    expect(cardText(card)).toContain(
      "The back end MBX1 that served the failing probe of ImapCTPMonitor is unhealthy (IMAP.Protocol ImapDeepTestMonitor, IMAP.Protocol ImapSelfTestMonitor). Fixing it comes first, so this card walks MBX1's IMAP.Protocol ladder (ImapDeepTestMonitor)",
    );
    // No button that opens another diagnosis: the ladder has already switched.
    expect(card.actions.some((a) => /its own ladder/.test(a.label))).toBe(false);
    const [incident] = await h.store.listIncidents(5);
    expect(incident!.ladder).toEqual({ monitor: 'ImapDeepTestMonitor', position: 0, server: 'MBX1' });

    // The back end's ladder replaces the Client Access steps: nothing on SERVER1, MBX1's own probe and restart instead.
    await h.click(h.button(card, /^All steps$/), h.people.alice);
    const steps = cardText(h.lastCard('diagnosis'));
    expect(steps).toContain('Recovery steps for ImapDeepTestMonitor:');
    expect(steps).toContain('Rerun IMAP.Protocol\\ImapDeepTestProbe on MBX1');
    expect(steps).toContain('Restart the server MBX1');
    expect(steps).not.toMatch(
      /Restart MSExchangeIMAP4 on SERVER1|Restart the server SERVER1|Move active databases off SERVER1/,
    );

    const timeline = (await h.store.readAudit({ incidentId: incident!.id }))
      .filter((r) => r.type === 'check')
      .map((r) => String(r.data.summary));
    expect(timeline).toContain(
      'back end MBX1 unhealthy: the ladder switched to its ImapDeepTestMonitor ladder; the Client Access steps are not offered',
    );

    // The back end's first step fixes it; the Client Access monitor is what is judged again, on the same incident.
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    expect(h.gateway.ran).toContainEqual({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    const after = h.lastCard('diagnosis')!;
    expect(after.title).toBe('IMAP on SERVER1: resolved');
    expect(cardText(after)).toContain('the probe passes again: ImapCTPMonitor is healthy');
    expect((await h.store.listIncidents(5)).map((i) => `${i.server} ${i.healthSet}`)).toEqual(['SERVER1 IMAP']);
  });

  it('while the back end stays unhealthy, the next diagnosis keeps the switched ladder where it was', async () => {
    const h = await createHarness('imap-backend-hang', {
      // The back end's restart "succeeds" but changes nothing: MBX1 stays unhealthy.
      wrapGateway: interceptRun(async (op, next) =>
        op.kind === 'restart-service' ? { ok: true, detail: 'restarted (no change)' } : next(),
      ),
    });
    await h.ask('imap on server1');
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    const [incident] = await h.store.listIncidents(1);
    expect(incident!.ladder).toEqual({ monitor: 'ImapDeepTestMonitor', position: 1, server: 'MBX1' });
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toBe('Rerun IMAP.Protocol\\ImapDeepTestProbe on MBX1');
  });

  it('a probe that names no back end: the card says which back-end steps are left out', async () => {
    const h = await createHarness('imap-backend-hang', {
      wrapGateway: interceptRun(async (op, next) => {
        const result = await next();
        if (op.kind !== 'invoke-probe') return result;
        const r = result as ProbeResult;
        const { exception: _e, ...rest } = r;
        return { ...rest, ...(r.error ? { error: r.error.replace(/_Mbx:\S+/, '') } : {}) };
      }),
    });
    await h.ask('imap on server1');
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain(
      'The error of IMAP\\ImapCTPProbe names no back-end server (no _Mbx: in it), so the 2 steps on the back end are left out:',
    );
    expect(text).toContain('restart-service on the back end (step restart-backend-imap)');
    expect(text).toContain('get-server-health on the back end (step backend-health)');
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toBe('Rerun IMAP\\ImapCTPProbe on SERVER1');
  });
});
