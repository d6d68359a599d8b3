/**
 * An alert e-mail pasted into the chat with the bot mentioned is diagnosed for its server and
 * health set, in English and German; ordinary questions are not taken for alerts; a later alert
 * for the same problem joins the incident the paste opened.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAlertIntake } from '../../src/core/alerts/index.ts';
import { createHarness } from '../engine/harness.ts';
import { recordingChannel } from './channel.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('pasted alert text in the chat', () => {
  it.each([
    ['email-de.txt', 'imap-backend-hang', 'SERVER1', 'IMAP', /IMAP auf SERVER1/],
    ['email-en.txt', 'ecp-apppool', 'SERVER2', 'ECP.Proxy', /ECP.Proxy on SERVER2/],
  ])(
    '%s is diagnosed for its server and health set, in the language it was written in',
    async (name, scenario, server, healthSet, title) => {
      const h = await createHarness(scenario);
      await h.ask(`@healthbot ${fixture(name)}`);
      const incident = (await h.store.listIncidents(1))[0];
      expect(incident).toMatchObject({ server, healthSet, conversation: 'test:c1' });
      expect(h.lastCard('diagnosis')?.title).toMatch(title);
    },
  );

  it('leaves a question a question, and an unknown server unanswered as an alert', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    expect((await h.store.listIncidents(1))[0]).toMatchObject({ question: "what's wrong with IMAP on server1?" });
    const before = h.gateway.ran.length;
    await h.ask(fixture('email-en-unknown-server.txt'), h.people.alice, 'test:c2');
    // Not an incident for EXOLD7: an unknown server never reaches a command.
    expect(h.gateway.ran.slice(before).some((op) => op.server === 'EXOLD7')).toBe(false);
    expect((await h.store.listIncidents(5)).some((i) => i.server === 'EXOLD7')).toBe(false);
  });

  it('lets a later alert for the same problem join the incident the paste opened', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask(fixture('email-de.txt'));
    const channel = recordingChannel(h.surface);
    const intake = createAlertIntake({ ctx: h.engine.context, channels: () => [channel] });
    await intake.accept([
      {
        server: 'SERVER1',
        healthSet: 'IMAP',
        state: 'raised',
        at: '2026-11-24T14:01:00.000Z',
        source: 'alertmanager',
        text: 'IMAP firing',
      },
    ]);
    await intake.drain();
    expect(channel.posted).toHaveLength(0);
    expect(await h.store.listIncidents(5)).toHaveLength(1);
  });
});
