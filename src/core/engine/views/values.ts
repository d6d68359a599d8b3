/**
 * Values that Exchange or the engine keep as tokens (a status, a verdict, a probe's result type, an
 * outcome code) turned into the card's language. A card reads in one language from top to bottom:
 * no English token is put into a translated sentence, and the locale decides how items are joined.
 */
import type { ActionOutcome, OutcomeSay } from '../../model/exchange.ts';
import type { Translate } from '../../ports/i18n.ts';
import { clockTime } from './format.ts';

/** A sentence kept as a key and its values (audit data, outcomes): rendered when someone reads it. */
export interface Said {
  readonly key: string;
  readonly vars?: Readonly<Record<string, string | number>>;
  /** Values that are words themselves (why a read failed, a probe's result): rendered first, then put in. */
  readonly parts?: Readonly<Record<string, Said>>;
}

export function isSaid(value: unknown): value is Said {
  return typeof value === 'object' && value !== null && typeof (value as Said).key === 'string';
}

export function sayText(t: Translate, said: Said): string {
  const parts = Object.entries(said.parts ?? {}).filter(([, part]) => isSaid(part));
  return t(said.key, { ...said.vars, ...Object.fromEntries(parts.map(([name, part]) => [name, sayText(t, part)])) });
}

/** A token as a word of the card's language; an unknown token stays as it is, quoted. */
export function valueWord(
  t: Translate,
  group: 'status' | 'verdict' | 'result' | 'approvalState',
  token: string,
): string {
  const prefix = { status: 'status', verdict: 'value.verdict', result: 'result', approvalState: 'approval.state' }[
    group
  ];
  return t(`engine:${prefix}.${token}`, { defaultValue: t('engine:value.unknownToken', { token }) });
}

/** Items joined as the locale joins them (`, ` in English, `、` in Japanese). */
export function joinList(t: Translate, items: readonly string[]): string {
  return items.join(t('engine:value.listSeparator'));
}

/** Sentences joined as the locale joins them (a space in English, nothing in Japanese); none is an empty text. */
export function joinSentences(t: Translate, sentences: readonly string[]): string {
  if (sentences.length === 0) return '';
  return sentences.reduce((first, next) => t('engine:value.sentences', { first, next }));
}

/** A read's error code as words: known codes (the card's, then every gateway code) are named, an unknown one is kept, quoted. */
export function errorCodeWord(t: Translate, code: string): string {
  const unknown = t('engine:value.unknownToken', { token: code });
  return t(`engine:value.errorCode.${code}`, { defaultValue: t(`checks:error.${code}`, { defaultValue: unknown }) });
}

/** How a card writes the instants inside an outcome: its zone (said once, in the footer), its locale, its own moment. */
export interface OutcomeClock {
  readonly timeZone: string;
  readonly locale: string;
  readonly today?: string | Date;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An outcome's values as the card writes them: an instant the gateway reported (a pool stopped at,
 * an override until) is a clock time in the card's zone and locale, never an ISO timestamp. Without
 * a clock (the Markdown export, which keeps full timestamps on purpose) values are kept as they are.
 */
function outcomeVars(say: OutcomeSay, clock: OutcomeClock | undefined): Record<string, string | number> {
  if (!clock) return { ...say.vars };
  return Object.fromEntries(
    Object.entries(say.vars).map(([k, v]) => [
      k,
      typeof v === 'string' && INSTANT.test(v) ? clockTime(v, clock.timeZone, clock.locale, clock.today) : v,
    ]),
  );
}

/** An outcome code's key: a bare code is one of `engine:outcome.*`; a dotted one (`errors.timeout`) is an engine key. */
function outcomeKey(code: string): string {
  if (code.includes(':')) return code;
  return code.includes('.') ? `engine:${code}` : `engine:outcome.${code}`;
}

export function outcomeSayText(t: Translate, say: OutcomeSay, clock?: OutcomeClock): string {
  const said = t(outcomeKey(say.code), { ...outcomeVars(say, clock), defaultValue: '' });
  const first = !said
    ? (say.quoted ?? '')
    : say.quoted
      ? t('engine:outcome.withQuoted', { text: said, quoted: say.quoted })
      : said;
  const rest = (say.then ?? []).map((next) => outcomeSayText(t, next, clock)).filter((text) => text !== '');
  return joinSentences(
    t,
    [first, ...rest].filter((text) => text !== ''),
  );
}

/** What an action did, in the reader's language; an outcome from before codes were kept shows its detail. */
export function outcomeText(
  t: Translate,
  outcome: Pick<ActionOutcome, 'detail' | 'say'>,
  clock?: OutcomeClock,
): string {
  return outcome.say ? outcomeSayText(t, outcome.say, clock) : outcome.detail;
}
