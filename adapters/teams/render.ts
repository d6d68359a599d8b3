/**
 * The neutral card as an Adaptive Card 1.5 for Teams.
 *
 * - Severity is said plainly: a mark in the title and a coloured header, so it reads without colour.
 * - Facts are a FactSet; probe output is monospace (RichTextBlock runs, which Adaptive Cards never
 *   parse as Markdown, so a Windows path keeps its backslashes exactly).
 * - Buttons are Action.Execute (Universal Actions) whose data carries nothing but the opaque action
 *   id the engine offered, with an Action.Submit fallback for clients older than 1.5.
 * - State-changing steps are destructive buttons; a step that asks for confirmation opens a
 *   ShowCard with the question and the confirming button, so one stray click never requests it.
 * - Every TextBlock and Fact is escaped (escape.ts); button titles are plain text by definition.
 */
import type { Card, CardAction, Section, Severity } from '../../src/core/index.ts';
import { cleanCard } from '../../src/core/index.ts';
import { cleanText, escapeMarkdown, plainText } from './escape.ts';

export type AdaptiveElement = Readonly<Record<string, unknown>>;

export interface AdaptiveCardJson {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: '1.5';
  readonly fallbackText: string;
  readonly body: readonly AdaptiveElement[];
  readonly actions?: readonly AdaptiveElement[];
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
export const SCHEMA_URL = 'http://adaptivecards.io/schemas/adaptive-card.json';
/** The one verb of every button: what a click means is looked up by its id, never by its verb. */
export const ACTION_VERB = 'healthbot.action';
/** The key under which a button's data carries its action id (Execute and Submit alike). */
export const ACTION_KEY = 'healthbotAction';
/** Teams shows a handful of buttons in a row; more go to the card's overflow menu. */
const MAX_VISIBLE_ACTIONS = 5;
const MAX_CODE_LINES = 40;
const MAX_LINE = 2000;

const SEVERITY_MARK: Readonly<Record<Severity, string>> = { ok: '✅', info: 'ℹ️', warning: '⚠️', critical: '🔴' };
const SEVERITY_STYLE: Readonly<Record<Severity, string>> = {
  ok: 'good',
  info: 'accent',
  warning: 'warning',
  critical: 'attention',
};

function clip(text: string, max = MAX_LINE): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function lines(text: string): string[] {
  return cleanText(text)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

function textBlock(text: string, extra: Record<string, unknown> = {}): AdaptiveElement {
  return { type: 'TextBlock', text: escapeMarkdown(clip(text)), wrap: true, ...extra };
}

/** One TextBlock per line: Markdown line-break rules differ between clients, separate blocks do not. */
function paragraph(text: string, first: Record<string, unknown> = {}): AdaptiveElement[] {
  return lines(text).map((line, i) => textBlock(line, i === 0 ? first : { spacing: 'None' }));
}

function codeBlock(text: string): AdaptiveElement {
  let shown = cleanText(text).replace(/\n+$/, '').split('\n');
  if (shown.length > MAX_CODE_LINES) shown = [...shown.slice(0, MAX_CODE_LINES), '…'];
  return {
    type: 'Container',
    style: 'emphasis',
    spacing: 'Small',
    items: shown.map((line) => ({
      type: 'RichTextBlock',
      spacing: 'None',
      // A run must not be empty; a no-break space keeps an empty line's height.
      inlines: [{ type: 'TextRun', text: clip(line, 300) || '\u00a0', fontType: 'Monospace', size: 'Small' }],
    })),
  };
}

function section(s: Section): AdaptiveElement[] {
  switch (s.kind) {
    case 'text':
      return paragraph(s.text, { spacing: 'Medium' });
    case 'code':
      return [codeBlock(s.text)];
    case 'list':
      // The number is ours, the item text is escaped: an item cannot start a list of its own.
      return s.items.map((item, i) => ({
        type: 'TextBlock',
        text: `${i + 1}. ${escapeMarkdown(plainText(item, MAX_LINE))}`,
        wrap: true,
        spacing: i === 0 ? 'Small' : 'None',
      }));
  }
}

const STYLE: Readonly<Record<CardAction['style'], string | undefined>> = {
  default: undefined,
  primary: 'positive',
  danger: 'destructive',
};

function clickData(id: string): Record<string, string> {
  return { [ACTION_KEY]: id };
}

function executeAction(id: string, title: string, style: string | undefined): AdaptiveElement {
  const styled = style ? { style } : {};
  return {
    type: 'Action.Execute',
    title: plainText(title, 120),
    verb: ACTION_VERB,
    data: clickData(id),
    ...styled,
    // Clients older than Universal Actions send the same id as a message activity.
    fallback: { type: 'Action.Submit', title: plainText(title, 120), data: clickData(id), ...styled },
  };
}

function action(a: CardAction, index: number): AdaptiveElement {
  const mode = index >= MAX_VISIBLE_ACTIONS ? { mode: 'Secondary' } : {};
  if (!a.confirm) return { ...executeAction(a.id, a.label, STYLE[a.style]), ...mode };
  return {
    type: 'Action.ShowCard',
    title: plainText(a.label, 120),
    style: STYLE[a.style] ?? 'destructive',
    ...mode,
    card: {
      type: 'AdaptiveCard',
      body: [textBlock(a.confirm.title, { weight: 'Bolder' }), ...paragraph(a.confirm.text, { spacing: 'Small' })],
      actions: [executeAction(a.id, a.confirm.yes, 'destructive')],
    },
  };
}

export function renderCard(input: Card): AdaptiveCardJson {
  // The same cleaning as Slack and the web chat; escape.ts strips bidi controls again per string.
  const card = cleanCard(input);
  const body: AdaptiveElement[] = [
    {
      type: 'Container',
      style: SEVERITY_STYLE[card.severity],
      bleed: true,
      items: [
        textBlock(`${SEVERITY_MARK[card.severity]} ${plainText(card.title, 400)}`, {
          weight: 'Bolder',
          size: 'Medium',
          style: 'heading',
        }),
      ],
    },
  ];
  if (card.facts.length > 0) {
    body.push({
      type: 'FactSet',
      facts: card.facts.map((f) => ({
        title: escapeMarkdown(plainText(f.label, 200)),
        value: escapeMarkdown(plainText(f.value, MAX_LINE)),
      })),
    });
  }
  for (const s of card.sections) body.push(...section(s));
  if (card.context)
    body.push(textBlock(plainText(card.context, 600), { isSubtle: true, size: 'Small', spacing: 'Medium' }));
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA_URL,
    version: '1.5',
    fallbackText: plainText(card.title, 400),
    body,
    ...(card.actions.length > 0 ? { actions: card.actions.map(action) } : {}),
  };
}

export interface Banner {
  readonly style: 'warning' | 'accent' | 'attention';
  readonly title?: string;
  readonly lines: readonly string[];
  /** Small print under the banner ("Only you can see this."). */
  readonly note?: string;
}

/**
 * A card with a banner on top: what one person sees in answer to their click (a refusal, "still
 * working"). The rest of the card is unchanged, so their buttons stay where they were.
 */
export function withBanner(card: AdaptiveCardJson, banner: Banner): AdaptiveCardJson {
  const items: AdaptiveElement[] = [];
  if (banner.title) items.push(textBlock(plainText(banner.title, 400), { weight: 'Bolder' }));
  for (const line of banner.lines) items.push(...paragraph(line, { spacing: 'Small' }));
  if (banner.note) items.push(textBlock(banner.note, { isSubtle: true, size: 'Small', spacing: 'Small' }));
  return { ...card, body: [{ type: 'Container', style: banner.style, items }, ...card.body] };
}

/** The words of a notice card, for a banner or a plain message. */
export function noticeLines(card: Card): string[] {
  const out: string[] = [];
  for (const s of card.sections) {
    if (s.kind === 'list') out.push(...s.items);
    else out.push(s.text);
  }
  return out;
}

/** The message activity that carries a card. `summary` is what notifications show. */
export function cardMessage(content: AdaptiveCardJson): {
  type: 'message';
  summary: string;
  attachments: { contentType: string; content: AdaptiveCardJson }[];
} {
  return {
    type: 'message',
    summary: content.fallbackText.slice(0, 200),
    attachments: [{ contentType: ADAPTIVE_CARD, content }],
  };
}
