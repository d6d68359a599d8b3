/**
 * The neutral card as Block Kit. Slack's limits are enforced here, honestly: text that is too long
 * is cut with an ellipsis, and blocks past Slack's 50 are replaced by a line that says how many
 * were left out, never dropped in silence. Everything that came from outside is escaped.
 */
import type { types } from '@slack/bolt';
import type { Card, CardAction, Section } from '../../src/core/index.ts';
import { cleanCard } from '../../src/core/index.ts';
import { codeBlock, escapedWithin, truncate } from './mrkdwn.ts';

type Block = types.KnownBlock;

/** Slack's documented limits (Block Kit reference), in characters or items. */
export const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextText: 3000,
  actionsPerBlock: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** The notification text; Slack truncates far later, but a notification should be short. */
  fallbackText: 300,
} as const;

const SEVERITY_EMOJI: Readonly<Record<Card['severity'], string>> = {
  ok: ':large_green_circle:',
  info: ':large_blue_circle:',
  warning: ':large_orange_circle:',
  critical: ':red_circle:',
};

/** Button action ids are positional; the engine's opaque id travels in `value`. */
export const ACTION_PREFIX = 'hb:';

function sectionBlocks(s: Section): Block[] {
  switch (s.kind) {
    case 'text':
      return [{ type: 'section', text: { type: 'mrkdwn', text: escapedWithin(s.text, LIMITS.sectionText) } }];
    case 'code':
      return [{ type: 'section', text: { type: 'mrkdwn', text: codeBlock(s.text, LIMITS.sectionText) } }];
    case 'list':
      return [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: escapedWithin(s.items.map((item, i) => `${i + 1}. ${item}`).join('\n'), LIMITS.sectionText),
          },
        },
      ];
  }
}

function button(action: CardAction, index: number): types.Button {
  const confirm = action.confirm && {
    title: { type: 'plain_text' as const, text: truncate(action.confirm.title, LIMITS.confirmTitle) },
    text: { type: 'mrkdwn' as const, text: escapedWithin(action.confirm.text, LIMITS.confirmText) },
    confirm: { type: 'plain_text' as const, text: truncate(action.confirm.yes, LIMITS.confirmButton) },
    deny: { type: 'plain_text' as const, text: truncate(action.confirm.no, LIMITS.confirmButton) },
    ...(action.style === 'danger' ? { style: 'danger' as const } : {}),
  };
  return {
    type: 'button',
    action_id: `${ACTION_PREFIX}${index}`,
    text: { type: 'plain_text', text: truncate(action.label, LIMITS.buttonText), emoji: true },
    // Ids the engine makes are short; anything longer is not ours and is left off, not cut.
    value: action.id.length <= LIMITS.buttonValue ? action.id : '',
    ...(action.style !== 'default' ? { style: action.style } : {}),
    ...(confirm ? { confirm } : {}),
  };
}

export interface SlackMessage {
  /** The notification and screen-reader text. */
  readonly text: string;
  readonly blocks: Block[];
}

export function renderBlocks(input: Card): SlackMessage {
  // Bidi controls go, as on every platform (a name or an Exchange error could read backwards).
  const card = cleanCard(input);
  const head: Block[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`${SEVERITY_EMOJI[card.severity]} ${card.title}`, LIMITS.headerText),
        emoji: true,
      },
    },
  ];
  const body: Block[] = [];
  for (let i = 0; i < card.facts.length; i += LIMITS.fields) {
    body.push({
      type: 'section',
      fields: card.facts.slice(i, i + LIMITS.fields).map((f) => ({
        type: 'mrkdwn' as const,
        text: `*${escapedWithin(f.label, 200)}*\n${escapedWithin(f.value, LIMITS.fieldText - 210)}`,
      })),
    });
  }
  for (const s of card.sections) body.push(...sectionBlocks(s));
  const tail: Block[] = [];
  const usable = card.actions.filter((a) => a.id.length <= LIMITS.buttonValue);
  for (let i = 0; i < usable.length; i += LIMITS.actionsPerBlock) {
    tail.push({
      type: 'actions',
      elements: usable.slice(i, i + LIMITS.actionsPerBlock).map((a, j) => button(a, i + j)),
    });
  }
  if (card.context)
    tail.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: escapedWithin(card.context, LIMITS.contextText) }],
    });

  // Buttons and the context line matter most in an incident; long bodies give way to them.
  const room = LIMITS.blocks - head.length - tail.length;
  let shown = body;
  if (body.length > room) {
    shown = body.slice(0, room - 1);
    shown.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `… +${body.length - shown.length}` }] });
  }
  return {
    text: escapedWithin(card.title, LIMITS.fallbackText),
    blocks: [...head, ...shown, ...tail],
  };
}
