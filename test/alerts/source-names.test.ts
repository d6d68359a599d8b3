/**
 * An alert's source has two forms in each language: the phrase that follows "raised by" (German
 * "durch einen Webhook") and the name the incident is opened under, which is shown wherever a
 * person's name would be ("Webhook asked…", the timeline's "who"). The phrase is never the name.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alerts/index.ts';
import { ALERT_SOURCES, createAlertIntake } from '../../src/core/alerts/index.ts';
import { SUPPORTED_LOCALES } from '../../src/core/index.ts';
import { cardText, createHarness } from '../engine/harness.ts';
import { recordingChannel } from './channel.ts';
import { buildTimeline } from '../../src/core/engine/index.ts';

/** Articles a name does not start with, per language (a name is a noun, not a phrase). */
const ARTICLES: Record<string, RegExp> = {
  en: /^(a|an|the)\s/i,
  de: /^(ein|eine|einen|einem|der|die|das|den|dem)\s/i,
  fr: /^(un|une|le|la|les|l')\s?/i,
  es: /^(un|una|el|la|los|las)\s/i,
  ja: /^$/,
};

const raised = (source: Alert['source']): Alert => ({
  server: 'SERVER1',
  healthSet: 'IMAP',
  monitor: 'ImapCTPMonitor',
  state: 'raised',
  at: '2026-11-24T13:58:00.000Z',
  source,
  text: 'IMAP health set unhealthy (ImapCTPMonitor) on SERVER1',
});

describe('alert sources as names', () => {
  it.each(SUPPORTED_LOCALES)('%s: every source has a name that is a noun, not the phrase after "by"', async (lng) => {
    const h = await createHarness('imap-backend-hang');
    const t = h.engine.context.t(lng);
    for (const source of ALERT_SOURCES) {
      const name = t(`alerts:sourceName.${source}`);
      expect(name, `${lng}: ${source}`).not.toMatch(/sourceName/);
      expect(name, `${lng}: ${source}`).not.toMatch(ARTICLES[lng]!);
      // In Latin script a name starts with a capital letter: it may begin a sentence.
      if (lng !== 'ja') expect(name[0], `${lng}: ${source}`).toBe(name[0]!.toUpperCase());
    }
  });

  it.each(SUPPORTED_LOCALES)(
    "%s: the incident an alert opens is opened by the source's name; the card says both forms where each belongs",
    async (lng) => {
      const h = await createHarness('imap-backend-hang');
      const channel = recordingChannel(h.surface);
      const intake = createAlertIntake({ ctx: h.engine.context, channels: () => [channel], settings: { locale: lng } });
      await intake.accept([raised('healthbot')]);
      await intake.drain();
      const t = h.engine.context.t(lng);
      const [incident] = await h.store.listIncidents(10);
      expect(incident!.openedBy.displayName).toBe(t('alerts:sourceName.healthbot'));
      const card = channel.posted[0]!.card();
      expect(cardText(card)).toContain(
        t('alerts:card.raisedAt', { time: '13:58', source: t('alerts:source.healthbot') }),
      );
      expect(card.context).toContain(t('alerts:card.context', { source: t('alerts:sourceName.healthbot') }));
    },
  );

  it.each(SUPPORTED_LOCALES.filter((lng) => lng !== 'en'))(
    "%s: the timeline says the alert's state in the language, not Exchange's token",
    async (lng) => {
      const h = await createHarness('imap-backend-hang');
      const channel = recordingChannel(h.surface);
      const intake = createAlertIntake({ ctx: h.engine.context, channels: () => [channel], settings: { locale: lng } });
      await intake.accept([raised('healthbot')]);
      await intake.drain();
      const [incident] = await h.store.listIncidents(10);
      const t = h.engine.context.t(lng);
      const line = buildTimeline(t, await h.store.readAudit({ incidentId: incident!.id }))[0]!.text;
      expect(line).toContain(t('alerts:timeline.state.raised'));
      expect(line).not.toContain('raised');
    },
  );
});
