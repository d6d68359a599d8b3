/**
 * The back-end gate: while the Mailbox server named by the CTP probe is unhealthy, the Client
 * Access steps are not offered, and a button opens the back end's own ladder; when the probe names
 * no back end, the card says which back-end steps are left out.
 */
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

describe('the back-end gate', () => {
  it('an unhealthy back end gates the CAS steps and switches to its own ladder', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask('imap on server1');
    const card = h.lastCard('diagnosis')!;
    expect(card.actions[0]!.label).toBe('Restart MSExchangeIMAP4BE on MBX1');
    expect(cardText(card)).toMatch(/The back end MBX1 is unhealthy too .* the \d+ Client Access steps of this ladder .* are not offered/);
    await h.click(h.button(card, /^All steps$/), h.people.alice);
    const steps = cardText(h.lastCard('diagnosis'));
    expect(steps).not.toMatch(/Restart MSExchangeIMAP4 on SERVER1|Restart the server SERVER1|Move active databases off SERVER1/);

    await h.click(h.button(h.lastCard('diagnosis'), /^Check IMAP\.Protocol on MBX1/), h.people.alice);
    const backend = h.lastCard('diagnosis')!;
    expect(backend.title).toBe('IMAP.Protocol on MBX1: problem confirmed');
    expect(backend.actions[0]!.label).toBe('Restart MSExchangeIMAP4BE on MBX1');
    const incidents = await h.store.listIncidents(5);
    expect(incidents.map((i) => `${i.server} ${i.healthSet}`).sort()).toEqual(['MBX1 IMAP.Protocol', 'SERVER1 IMAP']);
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
    expect(text).toContain('The error of IMAP\\ImapCTPProbe names no back-end server (no _Mbx: in it), so the 2 steps on the back end are left out:');
    expect(text).toContain('restart-service on the back end (step restart-backend-imap)');
    expect(text).toContain('get-server-health on the back end (step backend-health)');
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toBe('Rerun IMAP\\ImapCTPProbe on SERVER1');
  });
});
