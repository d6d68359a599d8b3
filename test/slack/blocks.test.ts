/**
 * Golden Block Kit JSON for every card type, rendered from cards the real engine produced on the
 * lab; escaping of hostile text; Slack's limits. UPDATE_GOLDEN=1 rewrites the golden files.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/core/index.ts';
import { LIMITS, renderBlocks } from '../../adapters/slack/blocks.ts';
import { escapeMrkdwn } from '../../adapters/slack/mrkdwn.ts';
import { createHarness } from '../engine/harness.ts';
import { SUPPORTED_LOCALES, FALLBACK_LOCALE } from '../../src/core/ports/i18n.ts';
import { localisedSampleCards, sampleCards } from '../engine/sample-cards.ts';
import { expectGolden } from '../support/golden.ts';

const golden = (name: string) => join(import.meta.dirname, 'golden', `${name}.json`);

/** Button ids and times change per run: stable placeholders before comparing. */
function normalise(card: Card): string {
  let n = 0;
  const ids = new Map<string, string>();
  const json = JSON.stringify(renderBlocks(card), null, 2);
  return json
    .replace(
      /"value": "([^"]+)"/g,
      (_m, id: string) => `"value": "${ids.get(id) ?? (ids.set(id, `action-${++n}`), ids.get(id))}"`,
    )
    .replace(/\bid\d+\b/g, 'ID');
}

function matchGolden(name: string, card: Card | undefined): void {
  expect(card, `no ${name} card`).toBeDefined();
  const json = normalise(card!);
  expectGolden(golden(name), `${json}\n`);
}

const hostile = '<!channel> <@U999> <https://evil.example|click me> & `​`​` ```done``` *bold*';

describe('Block Kit rendering', () => {
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

  it('uses danger style and a confirm dialog for state-changing steps', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask('imap on server1');
    const { blocks } = renderBlocks(h.lastCard('diagnosis')!);
    const restart = blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e) => e.type === 'button' && /Restart/.test(e.text.text));
    expect(restart).toMatchObject({
      style: 'danger',
      confirm: { style: 'danger', title: { type: 'plain_text' }, confirm: { type: 'plain_text' } },
    });
  });

  it('escapes what a monitor error or a user name could carry: no mentions, no links, no broken code block', () => {
    const card: Card = {
      kind: 'notice',
      title: hostile,
      severity: 'critical',
      facts: [{ label: hostile, value: hostile }],
      sections: [
        { kind: 'text', text: hostile },
        { kind: 'code', text: hostile },
        { kind: 'list', items: [hostile] },
      ],
      actions: [
        { id: 'a1', label: hostile, style: 'danger', confirm: { title: hostile, text: hostile, yes: 'y', no: 'n' } },
      ],
      context: hostile,
    };
    // Slack parses mentions and links only in mrkdwn text; plain_text (header, buttons, dialog
    // titles) is shown as typed, so it stays unescaped there and harmless.
    const mrkdwn: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.type === 'mrkdwn' && typeof o.text === 'string') mrkdwn.push(o.text);
        Object.values(o).forEach(walk);
      }
    };
    walk(renderBlocks(card).blocks);
    expect(mrkdwn.length).toBeGreaterThanOrEqual(6);
    for (const text of mrkdwn) expect(text).not.toMatch(/<!channel>|<@U999>|<https:/);
    expect(mrkdwn.join('\n')).toContain('&lt;!channel&gt;');
    expect(renderBlocks(card).text).not.toContain('<!channel>');
    const code = renderBlocks(card).blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('```'));
    const text = code?.type === 'section' ? code.text!.text : '';
    // Exactly one opening and one closing fence.
    expect(text.match(/```/g)).toHaveLength(2);
    expect(escapeMrkdwn('a & b < c > d "e" \'f\'')).toBe('a &amp; b &lt; c &gt; d "e" \'f\'');
  });

  it('keeps within Slack’s limits and says what it left out', () => {
    const long = 'x'.repeat(5000);
    const card: Card = {
      kind: 'diagnosis',
      title: long,
      severity: 'warning',
      facts: Array.from({ length: 23 }, (_, i) => ({ label: `fact ${i}`, value: '&'.repeat(3000) })),
      sections: Array.from({ length: 80 }, (_, i) => ({ kind: 'code' as const, text: `${i} ${long}` })),
      actions: Array.from({ length: 30 }, (_, i) => ({ id: `action-${i}`, label: long, style: 'default' as const })),
      context: long,
    };
    const { blocks, text } = renderBlocks(card);
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    for (const b of blocks) {
      if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
      if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      if (b.type === 'section' && b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(LIMITS.fields);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
      }
      if (b.type === 'actions') {
        expect(b.elements.length).toBeLessThanOrEqual(LIMITS.actionsPerBlock);
        for (const e of b.elements)
          if (e.type === 'button') expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
      }
    }
    // All 30 buttons and the context line survive; the body gave way and says by how much.
    expect(blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))).toHaveLength(30);
    expect(blocks.at(-1)?.type).toBe('context');
    expect(JSON.stringify(blocks)).toMatch(/… \+\d+/);
  });
});
