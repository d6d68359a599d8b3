/**
 * The body of the answer to an `adaptiveCard/action` invoke, from the outcome invoke.ts waited for.
 * A card answer (`application/vnd.microsoft.card.adaptive`) replaces the card for the clicker only;
 * a message answer (`application/vnd.microsoft.activity.message`) is a short note only they see,
 * used when this process does not know the card (it was posted before a restart, or by another
 * replica) and so cannot put a banner on it.
 */
import type { Card, Severity } from '../../src/core/index.ts';
import type { InvokeOutcome } from './invoke.ts';
import { plainText } from './escape.ts';
import type { AdaptiveCardJson, Banner } from './render.ts';
import { ADAPTIVE_CARD, noticeLines, renderCard, withBanner } from './render.ts';
import type { Say } from './texts.ts';

export const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';
export const ERROR_RESPONSE = 'application/vnd.microsoft.error';

export type InvokeBody =
  | { readonly statusCode: 200; readonly type: typeof ADAPTIVE_CARD; readonly value: AdaptiveCardJson }
  | { readonly statusCode: 200; readonly type: typeof MESSAGE_RESPONSE; readonly value: string }
  | {
      readonly statusCode: 400;
      readonly type: typeof ERROR_RESPONSE;
      readonly value: { readonly code: string; readonly message: string };
    };

const BANNER_STYLE: Readonly<Record<Severity, Banner['style']>> = {
  critical: 'attention',
  warning: 'warning',
  info: 'accent',
  ok: 'accent',
};

const cardBody = (value: AdaptiveCardJson): InvokeBody => ({ statusCode: 200, type: ADAPTIVE_CARD, value });
const messageBody = (text: string): InvokeBody => ({
  statusCode: 200,
  type: MESSAGE_RESPONSE,
  value: plainText(text, 1000),
});

export function badInvoke(message: string): InvokeBody {
  return { statusCode: 400, type: ERROR_RESPONSE, value: { code: 'BadRequest', message } };
}

/** `clicked` is the card the clicked message shows, when this process knows it. */
export function invokeBody(outcome: InvokeOutcome, clicked: Card | undefined, say: Say): InvokeBody {
  const base = clicked ? renderCard(clicked) : undefined;
  switch (outcome.kind) {
    case 'card':
      return cardBody(renderCard(outcome.card));
    case 'notice': {
      const lines = noticeLines(outcome.card);
      if (!base) return messageBody([outcome.card.title, ...lines].join(' · '));
      return cardBody(
        withBanner(base, {
          style: BANNER_STYLE[outcome.card.severity],
          title: outcome.card.title,
          lines,
          note: say('onlyYou'),
        }),
      );
    }
    case 'done':
      return base ? cardBody(base) : messageBody(say('received'));
    case 'timeout':
      return base
        ? cardBody(withBanner(base, { style: 'accent', lines: [say('working')] }))
        : messageBody(say('working'));
    case 'failed':
      return base
        ? cardBody(withBanner(base, { style: 'attention', lines: [say('failed')], note: say('onlyYou') }))
        : messageBody(say('failed'));
  }
}
