/** Escalate asks for confirmation first, and the confirmation and the result name who takes the incident. */
import { describe, expect, it } from 'vitest';
import { cardText, createHarness } from './harness.ts';

describe('escalation names its recipient', () => {
  it('confirms with the configured target, and the card and the record say who it went to', async () => {
    const h = await createHarness('imap-unfixable', { overrides: { escalationTarget: 'Messaging on-call (Contoso)' } });
    await h.ask("what's wrong with IMAP on server1?");
    const escalate = h.lastCard('diagnosis')!.actions.find((a) => a.label === 'Escalate')!;
    expect(escalate.confirm).toEqual({
      title: 'Escalate?',
      text: 'The incident is handed to Messaging on-call (Contoso), with its timeline.',
      yes: 'Escalate',
      no: 'Cancel',
    });
    await h.click(escalate.id, h.people.carol);
    expect(cardText(h.lastCard('diagnosis'))).toContain('carol handed the incident to Messaging on-call (Contoso)');
    const [incident] = await h.store.listIncidents(5);
    const records = (await h.store.readAudit({ incidentId: incident!.id })).filter((r) => r.type === 'escalated');
    expect(records).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ target: 'Messaging on-call (Contoso)' }) }),
    ]);
  });

  it('says plainly when no target is configured, in German too', async () => {
    const h = await createHarness('imap-unfixable', { locale: 'de' });
    await h.ask('IMAP server1');
    const escalate = h.lastCard('diagnosis')!.actions.find((a) => a.confirm?.title === 'Eskalieren?')!;
    expect(escalate.confirm?.text).toBe(
      'Der Vorfall wird mit seiner Zeitleiste an das Bereitschaftsteam (kein Eskalationsziel konfiguriert) übergeben.',
    );
  });
});
