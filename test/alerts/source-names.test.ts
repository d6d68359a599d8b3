/**
 * An alert's source has two forms in each language: the phrase that follows "raised by" (German
 * "durch einen Webhook") and the name the incident is opened under, which is shown wherever a
 * person's name would be ("Webhook asked…", the timeline's "who"). The phrase is never the name.
 */
import { describe, expect, it } from 'vitest';
import { ALERT_SOURCES } from '../../src/core/alerts/index.ts';
import { SUPPORTED_LOCALES } from '../../src/core/index.ts';
import type { Locale } from '../../src/core/index.ts';
import { cardText, createHarness } from '../engine/harness.ts';
import { alertIntakeOn, raisedAlert } from './alert.ts';
import { buildTimeline } from '../../src/core/engine/index.ts';

/** Articles a name does not start with, per language (a name is a noun, not a phrase). */
const ARTICLES: Record<string, RegExp> = {
  en: /^(a|an|the)\s/i,
  de: /^(ein|eine|einen|einem|der|die|das|den|dem)\s/i,
  fr: /^(un|une|le|la|les|l')\s?/i,
  es: /^(un|una|el|la|los|las)\s/i,
  ja: /^$/,
};

/** An incident opened by an IMAP alert from the `healthbot` source, in `lng`. */
async function openedByAlert(lng: Locale) {
  const { h, channel, intake } = await alertIntakeOn('imap-backend-hang', lng);
  await intake.accept([raisedAlert({ source: 'healthbot' })]);
  await intake.drain();
  const [incident] = await h.store.listIncidents(10);
  return { h, channel, incident: incident!, t: h.engine.context.t(lng) };
}

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
      const { channel, incident, t } = await openedByAlert(lng);
      expect(incident.openedBy.displayName).toBe(t('alerts:sourceName.healthbot'));
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
      const { h, incident, t } = await openedByAlert(lng);
      const line = buildTimeline(t, await h.store.readAudit({ incidentId: incident.id }))[0]!.text;
      expect(line).toContain(t('alerts:timeline.state.raised'));
      expect(line).not.toContain('raised');
    },
  );
});
