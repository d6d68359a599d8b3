/**
 * Values that Exchange or the engine keep as tokens (a status, a verdict, a probe's result type, an
 * outcome code) turned into the card's language. A card reads in one language from top to bottom:
 * no English token is put into a translated sentence, and the locale decides how items are joined.
 */
import type { ActionOutcome, OutcomeSay } from '../../model/exchange.ts';
import type { Translate } from '../../ports/i18n.ts';

/** A sentence kept as a key and its values (audit data, outcomes): rendered when someone reads it. */
export interface Said {
  readonly key: string;
  readonly vars?: Readonly<Record<string, string | number>>;
}

export function isSaid(value: unknown): value is Said {
  return typeof value === 'object' && value !== null && typeof (value as Said).key === 'string';
}

export function sayText(t: Translate, said: Said): string {
  return t(said.key, said.vars ?? {});
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

/** A read's error code as words: known codes are named, an unknown one is kept, quoted. */
export function errorCodeWord(t: Translate, code: string): string {
  return t(`engine:value.errorCode.${code}`, { defaultValue: t('engine:value.unknownToken', { token: code }) });
}

export function outcomeSayText(t: Translate, say: OutcomeSay): string {
  const text = t(`engine:outcome.${say.code}`, { ...say.vars, defaultValue: '' });
  if (!text) return say.quoted ?? '';
  return say.quoted ? t('engine:outcome.withQuoted', { text, quoted: say.quoted }) : text;
}

/** What an action did, in the reader's language; an outcome from before codes were kept shows its detail. */
export function outcomeText(t: Translate, outcome: Pick<ActionOutcome, 'detail' | 'say'>): string {
  return outcome.say ? outcomeSayText(t, outcome.say) : outcome.detail;
}
