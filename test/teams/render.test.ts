/**
 * Golden files pin the Adaptive Card JSON of every card type, rendered from the sample cards the
 * real engine produced on the lab (the same ones every platform pins), and every rendering passes
 * the structural 1.5 validator. Action ids and
 * times change per run and are replaced by stable placeholders. UPDATE_GOLDEN=1 rewrites them.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/core/index.ts';
import { ACTION_KEY, ACTION_VERB, renderCard, withBanner } from '../../adapters/teams/render.ts';
import { createHarness } from '../engine/harness.ts';
import { SUPPORTED_LOCALES, FALLBACK_LOCALE } from '../../src/core/ports/i18n.ts';
import { localisedSampleCards, sampleCards } from '../engine/sample-cards.ts';
import { validateAdaptiveCard } from './adaptive-card-schema.ts';
import { buttonsOf, textOf } from './fake-teams.ts';
import { expectGolden } from '../support/golden.ts';

const golden = (name: string) => join(import.meta.dirname, 'golden', `${name}.json`);

function normalise(json: unknown): string {
  let n = 0;
  const ids = new Map<string, string>();
  return JSON.stringify(json, null, 2)
    .replace(
      /"healthbotAction": "([^"]+)"/g,
      (_m, id: string) => `"healthbotAction": "${ids.get(id) ?? (ids.set(id, `action-${++n}`), ids.get(id))}"`,
    )
    .replace(/\bid\d+\b/g, 'ID');
}

function matchGolden(name: string, card: Card | undefined): void {
  expect(card, `no ${name} card`).toBeDefined();
  const rendered = renderCard(card!);
  expect(validateAdaptiveCard(rendered), name).toEqual([]);
  const text = `${normalise(rendered)}\n`;
  expectGolden(golden(name), text);
}

const hostile = `[click me](https://evil.example/login) **bold** _it_ <at>Bob</at> <img src=x> &#91;x&#93;(y) \`code\` # head\n- item\n1. one\n> quote ~~s~~ |t| \\[ \u202eevil\u202c`;

describe('Teams rendering of cards', () => {
  it('pins diagnosis, approval, refusal notice, resolved, help and timeline cards, all valid Adaptive Cards 1.5', async () => {
    for (const [name, card] of Object.entries(await sampleCards())) matchGolden(name, card);
  });

  // Every language but the fallback, so a new language in the list needs its golden files.
  it.each(SUPPORTED_LOCALES.filter((l) => l !== FALLBACK_LOCALE))(
    'pins the diagnosis, approval and resolved cards in %s',
    async (lng) => {
      for (const [name, card] of Object.entries(await localisedSampleCards(lng))) matchGolden(`${name}.${lng}`, card);
    },
  );

  it("renders the engine's German cards as they come (the renderer never translates)", async () => {
    const h = await createHarness('imap-backend-hang', { locale: 'de-DE' });
    await h.ask('was ist mit IMAP auf server1 los?');
    const card = renderCard(h.lastCard('diagnosis')!);
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(textOf(card)).toMatch(/Problem bestätigt/);
  });

  it('turns buttons into Action.Execute with only the opaque id, a Submit fallback, danger as destructive behind a confirmation', () => {
    const card = renderCard({
      kind: 'diagnosis',
      title: 'T',
      severity: 'critical',
      facts: [],
      sections: [],
      actions: [
        {
          id: 'a-step',
          label: 'Restart MSExchangeIMAP4BE on MBX1',
          style: 'danger',
          confirm: { title: 'Sure?', text: 'It drops sessions.', yes: 'Request approval', no: 'Cancel' },
        },
        { id: 'a-rerun', label: 'Rerun probes', style: 'default' },
        { id: 'a-ok', label: 'Approve', style: 'primary' },
      ],
    });
    expect(validateAdaptiveCard(card)).toEqual([]);
    const [confirm, rerun, approve] = card.actions as Record<string, unknown>[];
    expect(confirm).toMatchObject({
      type: 'Action.ShowCard',
      title: 'Restart MSExchangeIMAP4BE on MBX1',
      style: 'destructive',
    });
    const inner = confirm!.card as { actions: Record<string, unknown>[]; body: unknown[] };
    expect(textOf(inner.body)).toBe('Sure?\nIt drops sessions.');
    expect(inner.actions[0]).toMatchObject({
      type: 'Action.Execute',
      title: 'Request approval',
      verb: ACTION_VERB,
      style: 'destructive',
      data: { [ACTION_KEY]: 'a-step' },
    });
    expect(inner.actions[0]!.fallback).toEqual({
      type: 'Action.Submit',
      title: 'Request approval',
      data: { [ACTION_KEY]: 'a-step' },
      style: 'destructive',
    });
    expect(rerun).toMatchObject({ type: 'Action.Execute', data: { [ACTION_KEY]: 'a-rerun' } });
    expect(rerun).not.toHaveProperty('style');
    expect(approve).toMatchObject({ style: 'positive' });
    for (const b of buttonsOf(card)) expect(Object.keys(b)).toEqual(['title', 'actionId', 'type']);
  });

  it('moves buttons beyond the fifth to the overflow menu', () => {
    const actions = Array.from({ length: 7 }, (_, i) => ({ id: `a${i}`, label: `B${i}`, style: 'default' as const }));
    const card = renderCard({ kind: 'notice', title: 'T', severity: 'info', facts: [], sections: [], actions });
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect((card.actions as Record<string, unknown>[]).map((a) => a.mode ?? 'primary')).toEqual([
      'primary',
      'primary',
      'primary',
      'primary',
      'primary',
      'Secondary',
      'Secondary',
    ]);
  });

  it('escapes what a monitor error or a user could put on a card, everywhere Markdown is rendered', () => {
    const card = renderCard({
      kind: 'notice',
      title: hostile,
      severity: 'warning',
      facts: [{ label: hostile, value: hostile }],
      sections: [
        { kind: 'text', text: hostile },
        { kind: 'list', items: [hostile] },
      ],
      actions: [
        {
          id: 'x',
          label: hostile,
          style: 'danger',
          confirm: { title: hostile, text: hostile, yes: hostile, no: hostile },
        },
      ],
      context: hostile,
    });
    expect(validateAdaptiveCard(card)).toEqual([]);
    const markdown: string[] = [];
    const walk = (n: unknown) => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      const o = n as Record<string, unknown>;
      if (o.type === 'TextBlock') markdown.push(String(o.text));
      if (o.type === 'FactSet')
        for (const f of o.facts as { title: string; value: string }[]) markdown.push(f.title, f.value);
      for (const [k, v] of Object.entries(o)) if (k !== 'fallback') walk(v);
    };
    walk(card);
    expect(markdown.length).toBeGreaterThan(8);
    for (const text of markdown) {
      expect(text).not.toMatch(/(^|[^\\])\[/); // no unescaped bracket: no link text
      expect(text).not.toMatch(/(^|[^\\])\]\(/); // a link needs an unescaped "](" side by side
      expect(text).not.toMatch(/(^|[^\\])[*_`<>&~]/);
      expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      expect(text).not.toMatch(/^\s*[-+]\s/m);
    }
    // Button titles are plain text in Adaptive Cards: kept as written, flattened to one line and clipped.
    const title = buttonsOf(card)[0]!.title;
    expect(title).toHaveLength(120);
    expect(hostile.replace(/\s*\n\s*/g, ' ').startsWith(title.slice(0, -1))).toBe(true);
  });

  it('keeps probe output exact and monospace: Markdown never touches it', () => {
    const code =
      'IMAP\\ImapCTPProbe failed: C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\n  at **not bold** [x](y)\n\n';
    const card = renderCard({
      kind: 'diagnosis',
      title: 'T',
      severity: 'critical',
      facts: [],
      sections: [{ kind: 'code', text: code }],
      actions: [],
    });
    expect(validateAdaptiveCard(card)).toEqual([]);
    const box = card.body[1] as {
      type: string;
      items: { type: string; inlines: { text: string; fontType: string }[] }[];
    };
    expect(box.type).toBe('Container');
    expect(box.items.every((i) => i.type === 'RichTextBlock' && i.inlines[0]!.fontType === 'Monospace')).toBe(true);
    expect(box.items.map((i) => i.inlines[0]!.text)).toEqual([
      'IMAP\\ImapCTPProbe failed: C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging',
      '  at **not bold** [x](y)',
    ]);
  });

  it('shows severity plainly, not by colour alone', () => {
    const title = (severity: Card['severity']) =>
      renderCard({ kind: 'notice', title: 'X', severity, facts: [], sections: [], actions: [] });
    expect(textOf(title('critical').body[0])).toBe('🔴 X');
    expect(textOf(title('warning').body[0])).toBe('⚠️ X');
    expect(textOf(title('ok').body[0])).toBe('✅ X');
    expect((title('critical').body[0] as { style: string }).style).toBe('attention');
  });

  it('puts a banner for one person on top of an unchanged card, still a valid card', () => {
    const base = renderCard({
      kind: 'approval',
      title: 'Approval',
      severity: 'warning',
      facts: [{ label: 'a', value: 'b' }],
      sections: [],
      actions: [{ id: 'x', label: 'Approve', style: 'primary' }],
    });
    const bannered = withBanner(base, {
      style: 'warning',
      title: 'Not possible',
      lines: ["You can't approve your own request."],
      note: 'Only you can see this.',
    });
    expect(validateAdaptiveCard(bannered)).toEqual([]);
    expect(bannered.body.slice(1)).toEqual(base.body);
    expect(bannered.actions).toEqual(base.actions);
    expect(textOf(bannered.body[0])).toBe("Not possible\nYou can't approve your own request.\nOnly you can see this.");
  });

  it('the validator itself rejects what 1.5 does not allow (so it can fail)', () => {
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', body: [] })).not.toEqual([]);
    expect(
      validateAdaptiveCard({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'FactSet', facts: [{ name: 'a', value: 'b' }] }],
      }).map((p) => p.path),
    ).toContain('$.body[0].facts[0].name');
    expect(
      validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' }, body: [] }).map(
        (p) => p.path,
      ),
    ).toEqual(['$.msteams']);
    expect(
      validateAdaptiveCard({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'x', weight: 'heavy' }],
      }),
    ).toHaveLength(1);
    expect(
      validateAdaptiveCard({
        type: 'AdaptiveCard',
        version: '1.5',
        actions: [{ type: 'Action.Execute', style: 'danger' }],
      }),
    ).toHaveLength(1);
    expect(
      validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', actions: [{ type: 'Action.Http', url: 'x' }] }),
    ).toHaveLength(1);
    expect(
      validateAdaptiveCard({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '' }] }],
      }),
    ).toHaveLength(1);
  });
});
