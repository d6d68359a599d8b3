/**
 * ECP versus ECP.Proxy: a question about "ecp" or "eac" reads both health sets (the runbook's
 * `related` list), and IISReset's impact names everything it interrupts.
 */
import { describe, expect, it } from 'vitest';
import { cardText, createHarness } from './harness.ts';

describe('ECP and ECP.Proxy', () => {
  it('"eac on server1" reads ECP.Proxy and ECP together, and shows both on the card', async () => {
    const h = await createHarness('ecp-apppool');
    await h.ask('eac on server1');
    const read = h.gateway.ran.find((op) => op.kind === 'get-server-health' && op.server === 'SERVER1');
    expect(read).toMatchObject({ healthSets: expect.arrayContaining(['ECP.Proxy', 'ECP']) });
    // ClientAccess.Proxy, which the runbook names as related, is read and shown too.
    const shown = h.lastCard('diagnosis')!.facts.find((f) => f.label === 'Health sets')?.value;
    expect(shown).toMatch(/^ECP\.Proxy Unhealthy \(1 monitor\) · /);
    expect(shown).toMatch(/ · ECP Healthy \(2 monitors\)/);
  });

  it('the IISReset step says that OWA, EWS, ActiveSync, Outlook Anywhere, MAPI over HTTP, OAB and remote PowerShell stop too', async () => {
    const h = await createHarness('ecp-iisreset');
    await h.ask('ecp proxy on server1');
    for (let i = 0; i < 12 && !/IISReset/.test(h.lastCard('diagnosis')!.actions[0]!.label); i++) {
      await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
      const approval = h.lastCard('approval');
      if (approval?.actions.some((a) => a.label === 'Approve'))
        await h.click(h.button(approval, /^Approve$/), h.people.bob);
    }
    const text = cardText(h.lastCard('diagnosis'));
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toMatch(/IISReset/);
    for (const name of [
      'OWA',
      'ECP',
      'EWS',
      'ActiveSync',
      'Outlook Anywhere',
      'MAPI over HTTP',
      'offline address book',
      'remote PowerShell',
    ])
      expect(text).toContain(name);
  });
});

describe('the ECP.Proxy common issues that can be checked', () => {
  it('reads the monitoring mailboxes with their database, and the domain controllers in use', async () => {
    const h = await createHarness('ecp-apppool');
    await h.ask('ecp on server1');
    await h.walkUntil(/monitoring mailboxes/);
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    expect(cardText(h.lastCard('diagnosis'))).toContain(
      'Monitoring mailbox HealthMailbox-SERVER1-001: database DB01 is mounted on MBX1.',
    );
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toBe('Check which domain controllers SERVER1 uses');
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    expect(cardText(h.lastCard('diagnosis'))).toContain(
      'SERVER1 uses the domain controllers dc1.contoso.com, dc2.contoso.com',
    );
  });
});
