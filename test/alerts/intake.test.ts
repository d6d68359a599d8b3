/**
 * Alerts through the engine: one incident per problem, attach and clear on the same card, joining
 * an incident someone asked about, unknown names kept and never run, redeliveries counted once,
 * storms grouped on one card with the likeliest common cause diagnosed first.
 */
import { describe, expect, it } from 'vitest';
import { createAlertIntake, problemKey } from '../../src/core/alerts/index.ts';
import type { AlertRecord } from '../../src/core/alerts/index.ts';
import { cardText, createHarness } from '../engine/harness.ts';
import { timelineMarkdown } from '../../src/core/engine/index.ts';
import { recordingChannel } from './channel.ts';
import { alertIntakeOn, raisedAlert } from './alert.ts';

const setup = (scenario?: string) => alertIntakeOn(scenario);

describe('alert intake', () => {
  it('opens one incident for a raised alert: an alert card in the channel and the read-only diagnosis in its thread', async () => {
    const { h, channel, intake } = await setup();
    expect(await intake.accept([raisedAlert()])).toBe(1);
    expect(await intake.drain()).toMatchObject({ processed: 1, opened: 1 });
    expect(channel.posted).toHaveLength(1);
    const card = channel.posted[0]!.card();
    expect(card.title).toBe('Alert: IMAP unhealthy on SERVER1');
    expect(cardText(card)).toContain('by Managed Availability');
    const incidents = await h.store.listIncidents(10);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      server: 'SERVER1',
      healthSet: 'IMAP',
      status: 'confirmed',
      conversation: `test:alerts:${channel.posted[0]!.ref}`,
    });
    // Only reads ran: nothing that changes state without a person.
    expect(h.gateway.ran.map((op) => op.kind).every((k) => k.startsWith('get-') || k === 'invoke-probe')).toBe(true);
    expect(h.lastCard('diagnosis')?.title).toMatch(/IMAP on SERVER1: problem confirmed/);
  });

  it('attaches further alerts to the open problem (a counter, no new post), then clears the card by itself', async () => {
    const { h, channel, intake } = await setup();
    await intake.accept([raisedAlert()]);
    await intake.drain();
    const posts = h.surface.messages.length;
    await intake.accept([
      raisedAlert({ at: '2026-11-24T14:03:00.000Z' }),
      raisedAlert({ at: '2026-11-24T14:04:00.000Z', source: 'scom' }),
    ]);
    expect(await intake.drain()).toMatchObject({ attached: 2, opened: 0 });
    expect(h.surface.messages.length).toBe(posts);
    expect(cardText(channel.posted[0]!.card())).toMatch(/Alerts: 3, the last at 14:04/);
    h.clock.advance(20 * 60_000);
    await intake.accept([raisedAlert({ state: 'cleared', at: '2026-11-24T14:20:00.000Z' })]);
    expect(await intake.drain()).toMatchObject({ cleared: 1 });
    const card = channel.posted[0]!.card();
    expect(card.title).toBe('Cleared: IMAP on SERVER1');
    expect(cardText(card)).toMatch(/cleared by itself at 14:20/);
    expect((await h.store.listIncidents(10))[0]).toMatchObject({
      status: 'resolved',
      lastEvent: { key: 'alerts:card.clearedAt', vars: { time: '14:20' } },
    });
    // The next raise after a clear is a new problem with a new card.
    await intake.accept([raisedAlert({ at: '2026-11-24T14:30:00.000Z' })]);
    expect(await intake.drain()).toMatchObject({ opened: 1 });
    expect(channel.posted).toHaveLength(2);
  });

  it('says "cleared at" instead of "by itself" when someone acted on the incident', async () => {
    const { h, channel, intake } = await setup();
    await intake.accept([raisedAlert()]);
    await intake.drain();
    const incident = (await h.store.listIncidents(1))[0]!;
    const step = h.lastCard('diagnosis')!.actions.find((a) => /Restart/.test(a.label))!;
    await h.click(step.id, h.people.alice, incident.conversation);
    expect(await h.store.listApprovals({ incidentId: incident.id })).toHaveLength(1);
    await intake.accept([raisedAlert({ state: 'cleared', at: '2026-11-24T14:20:00.000Z' })]);
    await intake.drain();
    expect(cardText(channel.posted[0]!.card())).toMatch(/cleared at 14:20/);
    expect(cardText(channel.posted[0]!.card())).not.toMatch(/by itself/);
  });

  it('counts a redelivered alert once', async () => {
    const { h, intake } = await setup();
    const alert = raisedAlert({ deliveryId: 'am:5f1a:2026-11-24T13:58:00Z:raised' });
    expect(await intake.accept([alert])).toBe(1);
    // The same delivery while the first still waits, and again after it was processed.
    expect(await intake.accept([alert])).toBe(0);
    await intake.drain();
    expect(await intake.accept([alert])).toBe(1);
    expect(await intake.drain()).toMatchObject({ processed: 0 });
    expect(await h.store.getValue<AlertRecord>(problemKey('SERVER1', 'IMAP'))).toMatchObject({ count: 1 });
  });

  it('joins the incident someone already asked about, in its thread', async () => {
    const { h, channel, intake } = await setup();
    await h.ask("what's wrong with IMAP on server1?");
    const asked = (await h.store.listIncidents(10))[0]!;
    await intake.accept([raisedAlert()]);
    await intake.drain();
    expect(channel.posted).toHaveLength(0);
    expect(await h.store.listIncidents(10)).toHaveLength(1);
    expect(await h.store.getValue<AlertRecord>(problemKey('SERVER1', 'IMAP'))).toMatchObject({
      incidentId: asked.id,
      ownIncident: false,
      cards: [{ channel: 'incident', conversation: 'test:c1' }],
    });
    expect(h.surface.messages.some((m) => /this alert joined that incident/.test(cardText(m.card)))).toBe(true);
  });

  it('keeps an alert for an unknown server or health set, shows it as such, and runs nothing', async () => {
    const { h, channel, intake } = await setup();
    await intake.accept([
      raisedAlert({ server: 'EXOLD7', text: '<script>alert(1)</script> *bold*' }),
      raisedAlert({ healthSet: 'Imaginary.Set', monitor: 'NoSuchMonitor' }),
    ]);
    expect(await intake.drain()).toMatchObject({ opened: 2 });
    expect(channel.posted.map((p) => p.card().title)).toEqual([
      'Alert: IMAP on EXOLD7 (not checked)',
      'Alert: Imaginary.Set on SERVER1 (not checked)',
    ]);
    expect(cardText(channel.posted[0]!.card())).toMatch(/EXOLD7 is not a server Healthbot knows/);
    expect(h.gateway.ran).toEqual([]);
    expect(await h.store.listIncidents(10)).toEqual([]);
    // The original text is a code section: renderers show it as text, never as markup.
    expect(channel.posted[0]!.card().sections).toContainEqual({
      kind: 'code',
      text: '<script>alert(1)</script> *bold*',
    });
    expect(await h.store.getValue<AlertRecord>(problemKey('EXOLD7', 'IMAP'))).toMatchObject({
      known: { server: false, healthSet: true },
      open: true,
    });
  });

  it('keeps the original text in the timeline as a code block that markup cannot leave', async () => {
    const { h, intake } = await setup();
    const text = 'IMAP down\n```\n<script>alert(1)</script> **bold** [x](http://evil)\n````';
    await intake.accept([raisedAlert({ text })]);
    await intake.drain();
    const incident = (await h.store.listIncidents(1))[0]!;
    expect(incident.question).toBe('Alert: IMAP unhealthy on SERVER1');
    const md = timelineMarkdown(
      h.engine.context.t('en'),
      incident,
      await h.store.readAudit({ incidentId: incident.id }),
    );
    const lines = md.split('\n');
    const open = lines.findIndex((l) => l === '  `````text');
    expect(open).toBeGreaterThan(0);
    expect(lines[open - 2]).toMatch(/Managed Availability: alert opened \(raised\) for IMAP on SERVER1, its text:$/);
    expect(lines.slice(open + 1, open + 6)).toEqual([
      '  IMAP down',
      '  ```',
      '  <script>alert(1)</script> **bold** [x](http://evil)',
      '  ````',
      '  `````',
    ]);
    // Nowhere else: not inline in a line of the timeline.
    expect(md.split('<script>').length).toBe(2);
  });

  it('keeps an alert whose channel post failed, and still counts later alerts on it', async () => {
    const { channel, intake } = await setup();
    channel.failNext = true;
    await intake.accept([raisedAlert()]);
    expect(await intake.drain()).toMatchObject({ opened: 1 });
    await intake.accept([raisedAlert({ at: '2026-11-24T14:01:00.000Z' })]);
    expect(await intake.drain()).toMatchObject({ attached: 1 });
  });

  it('ignores the servers and health sets configured to be ignored', async () => {
    const h = await createHarness('imap-backend-hang');
    const channel = recordingChannel(h.surface);
    const intake = createAlertIntake({
      ctx: h.engine.context,
      channels: () => [channel],
      settings: { ignore: { servers: ['server2'], healthSets: ['imap'] } },
    });
    expect(
      await intake.accept([
        raisedAlert(),
        raisedAlert({ server: 'SERVER2', healthSet: 'OWA' }),
        raisedAlert({ healthSet: 'OWA' }),
      ]),
    ).toBe(1);
  });

  it('groups a storm into one card by health set and server, and diagnoses the likeliest common cause first', async () => {
    const { h, channel, intake } = await setup('server1-many-failures');
    const sets = ['IMAP', 'OWA', 'ECP', 'EWS.Protocol', 'ActiveSync', 'POP', 'Autodiscover', 'OWA.Proxy'];
    const alerts = [
      ...sets.map((healthSet, i) =>
        raisedAlert({ healthSet, at: `2026-11-24T13:59:${String(10 + i).padStart(2, '0')}.000Z` }),
      ),
      raisedAlert({ server: 'SERVER2', healthSet: 'IMAP' }),
      raisedAlert({ server: 'EXOLD7', healthSet: 'OWA' }),
    ];
    expect(await intake.accept(alerts)).toBe(10);
    expect(await intake.drain()).toMatchObject({ opened: 10, storms: 1 });
    expect(channel.posted).toHaveLength(1);
    const card = channel.posted[0]!.card();
    expect(card.title).toBe('Alert storm: 10 problems on 3 servers');
    expect(cardText(card)).toMatch(/SERVER1 as a whole \(most problems are on this server\)/);
    expect(cardText(card)).toMatch(/IMAP: SERVER1, SERVER2/);
    expect(cardText(card)).toMatch(/EXOLD7: OWA \(unknown, not checked\)/);
    // One diagnosis, of the cause, in the storm card's thread.
    const incidents = await h.store.listIncidents(10);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ server: 'SERVER1', conversation: `test:alerts:${channel.posted[0]!.ref}` });
    expect(incidents[0]!.healthSet).toBeUndefined();
    // More alerts in the window join the storm: the card changes, nothing new is posted.
    await intake.accept([
      raisedAlert({ server: 'MBX1', healthSet: 'IMAP.Protocol', at: '2026-11-24T14:00:30.000Z' }),
      raisedAlert({ at: '2026-11-24T14:00:40.000Z' }),
    ]);
    await intake.drain();
    expect(channel.posted).toHaveLength(1);
    expect(channel.posted[0]!.card().title).toBe('Alert storm: 11 problems on 4 servers');
  });
});
