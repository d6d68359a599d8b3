import { describe, expect, it } from 'vitest';
import { cardText, createHarness } from './harness.ts';

describe('diagnosis on the lab', () => {
  it('confirms the back-end hang, names monitor, probe and back end, and offers the restart for approval', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis');
    const text = cardText(card);
    expect(card?.severity).toBe('critical');
    expect(card?.title).toBe('IMAP on SERVER1: problem confirmed');
    expect(text).toContain('ImapCTPMonitor');
    expect(text).toMatch(/IMAP\\ImapCTPProbe on SERVER1 → Failed/);
    expect(text).toMatch(/MBX1 is unhealthy too/);
    const restart = card!.actions[0]!;
    expect(restart.label).toBe('Restart MSExchangeIMAP4BE on MBX1');
    expect(restart.style).toBe('danger');
    expect(restart.confirm?.text).toMatch(/second person/);
    expect(text).toMatch(/needs a second person's approval/);
    // Get-ServerHealth once for the server, the back end once, probes once each.
    const gsh = h.gateway.ran.filter((op) => op.kind === 'get-server-health');
    expect(gsh.filter((op) => op.server === 'SERVER1')).toHaveLength(1);
    const probes = h.gateway.ran.filter((op) => op.kind === 'invoke-probe');
    expect(new Set(probes.map((p) => JSON.stringify(p))).size).toBe(probes.length);
    expect(h.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);
  });

  it('says the alert has recovered when the probe now succeeds', async () => {
    const h = await createHarness('imap-transient');
    await h.ask('imap broken on server1??');
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('IMAP on SERVER1: the alert has recovered');
    expect(card?.severity).toBe('ok');
    expect(card?.actions.some((a) => a.style === 'danger')).toBe(false);
  });

  it('answers a German question in German', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask('was ist mit IMAP auf server1 los?');
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('IMAP auf SERVER1: Problem bestätigt');
    expect(card?.actions[0]?.label).toMatch(/MSExchangeIMAP4BE.*MBX1/);
    expect(cardText(card)).toMatch(/Freigabe/);
  });

  it('reports healthy when nothing is wrong', async () => {
    const h = await createHarness('healthy');
    await h.ask('is ECP ok on server1');
    expect(h.lastCard('diagnosis')?.severity).toBe('ok');
  });

  it('answers an unknown server with the nearest names, and never runs anything for it', async () => {
    const h = await createHarness('healthy');
    await h.ask("what's wrong with IMAP on serevr1?");
    const notice = h.lastCard('notice');
    expect(cardText(notice)).toMatch(/serevr1/);
    expect(cardText(notice)).toMatch(/SERVER1/);
    expect(h.gateway.ran).toHaveLength(0);
  });

  it('suggests the health set for a typo', async () => {
    const h = await createHarness('healthy');
    await h.ask("what's wrong with IMPA on server1?");
    expect(cardText(h.lastCard('notice'))).toMatch(/Did you mean IMAP/);
    expect(h.gateway.ran).toHaveLength(0);
  });

  it('asks for the server when none is given and none is known from the thread', async () => {
    const h = await createHarness('healthy');
    await h.ask("what's wrong with IMAP?");
    expect(cardText(h.lastCard('notice'))).toMatch(/Which server/);
  });

  it('follows up in the thread: another server, and a rerun', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    await h.ask('and on server2?');
    expect(h.lastCard('diagnosis')?.title).toMatch(/^IMAP on SERVER2/);
    const before = h.gateway.ran.length;
    await h.ask('rerun the probe');
    expect(h.gateway.ran.length).toBeGreaterThan(before);
    await h.ask('help');
    expect(h.lastCard('help')).toBeDefined();
  });

  it('answers a redelivered message once', async () => {
    const h = await createHarness('imap-backend-hang');
    const event = {
      kind: 'message' as const,
      eventId: 'same',
      conversation: 'test:c1',
      actor: h.people.alice,
      text: 'imap server1',
    };
    await Promise.all([h.engine.handle(event), h.engine.handle(event), h.engine.handle(event)]);
    expect(h.surface.messages.filter((m) => m.card.kind === 'diagnosis')).toHaveLength(1);
  });
});
