/**
 * Golden files pin the HTML of every card type, rendered from cards the real engine produced on
 * the lab. Button ids and times change per run, so they are replaced by stable placeholders
 * before comparing. Set UPDATE_GOLDEN=1 to rewrite them after an intended change.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/core/index.ts';
import { escapeHtml, renderCard } from '../../adapters/web/render.ts';
import { SUPPORTED_LOCALES, FALLBACK_LOCALE } from '../../src/core/ports/i18n.ts';
import { localisedSampleCards, sampleCards } from '../engine/sample-cards.ts';
import { expectGolden } from '../support/golden.ts';

const golden = (name: string) => join(import.meta.dirname, 'golden', `${name}.html`);

function normalise(html: string): string {
  let n = 0;
  const ids = new Map<string, string>();
  return html
    .replace(
      /data-action="([^"]+)"/g,
      (_m, id: string) => `data-action="${ids.get(id) ?? (ids.set(id, `action-${++n}`), ids.get(id))}"`,
    )
    .replace(/approval id\d+/g, 'approval ID')
    .replace(/\bid\d+\b/g, 'ID')
    .replace(/><(?=[a-z/])/g, '>\n<');
}

function matchGolden(name: string, card: Card | undefined): void {
  expect(card, `no ${name} card`).toBeDefined();
  const html = normalise(renderCard(card!));
  expectGolden(golden(name), html);
}

describe('web rendering of cards', () => {
  it('pins diagnosis, approval, refusal notice, resolved, help and timeline cards', async () => {
    for (const [name, card] of Object.entries(await sampleCards())) matchGolden(name, card);
  });

  // Every language but the fallback, so a new language in the list needs its golden files.
  it.each(SUPPORTED_LOCALES.filter((l) => l !== FALLBACK_LOCALE))(
    'pins the diagnosis, approval and resolved cards in %s',
    async (lng) => {
      for (const [name, card] of Object.entries(await localisedSampleCards(lng))) matchGolden(`${name}.${lng}`, card);
    },
  );

  it('escapes everything a monitor error or a user could put in a card', () => {
    const hostile = `<img src=x onerror=alert(1)> & "quotes" 'single' </article><script>`;
    const html = renderCard({
      kind: 'notice',
      title: hostile,
      severity: 'warning',
      facts: [{ label: hostile, value: hostile }],
      sections: [
        { kind: 'code', text: hostile },
        { kind: 'text', text: hostile },
        { kind: 'list', items: [hostile] },
      ],
      actions: [
        {
          id: `x" onclick="alert(1)`,
          label: hostile,
          style: 'danger',
          confirm: { title: hostile, text: hostile, yes: hostile, no: hostile },
        },
      ],
      context: hostile,
    });
    expect(html).not.toMatch(/<img|<script|" onclick=/);
    expect(html.match(/<article/g)).toHaveLength(1);
    expect(html.match(/<\/article>/g)).toHaveLength(1);
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
