/**
 * `healthbot ask "<question>"` answers in the question's language, whatever the person's profile
 * says: for every supported language, a question from that language's corpus goes through the
 * real engine (lab scenario imap-backend-hang, where IMAP on SERVER1 is confirmed broken) and the
 * card's title must be that language's "problem confirmed" title. A language added to
 * SUPPORTED_LOCALES is covered here without a change to this file.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FALLBACK_LOCALE, SUPPORTED_LOCALES } from '../../src/core/index.ts';
import { createTranslator } from '../../src/i18n/index.ts';
import { createHarness } from '../engine/harness.ts';
import { CORPUS } from './corpus.ts';

const translator = createTranslator(join(import.meta.dirname, '../../locales'));

/** The language's first plain question about IMAP on SERVER1 in the corpus. */
function questionIn(lng: string): string {
  const c = CORPUS.find(
    (x) =>
      x.locale === lng &&
      !x.localeHint &&
      !x.problem &&
      x.kind === 'diagnose' &&
      x.hs === 'IMAP' &&
      x.server === 'SERVER1',
  );
  if (!c) throw new Error(`the corpus has no question about IMAP on SERVER1 in ${lng}`);
  return c.text;
}

describe('the answer is in the language of the question', () => {
  it.each([...SUPPORTED_LOCALES])('%s', async (lng) => {
    // The profile says another language: the question's words must win.
    const profile = SUPPORTED_LOCALES.find((l) => l !== lng) ?? FALLBACK_LOCALE;
    const h = await createHarness('imap-backend-hang', { locale: profile });
    await h.ask(questionIn(lng));
    const t = translator.for(lng);
    const title = t('diag.title.confirmed', { subject: t('diag.subject', { healthSet: 'IMAP', server: 'SERVER1' }) });
    expect(h.lastCard('diagnosis')?.title).toBe(title);
    expect(title).not.toBe(
      translator.for(profile)('diag.title.confirmed', {
        subject: translator.for(profile)('diag.subject', { healthSet: 'IMAP', server: 'SERVER1' }),
      }),
    );
  });
});
