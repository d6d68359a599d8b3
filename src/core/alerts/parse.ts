/**
 * One entry for every alert format: JSON (Alertmanager v4, our own shape, SCOM), exported event
 * XML, or pasted text. The shape of the input picks the reader.
 */
import type { AlertParse } from './alert.ts';
import { unparseable } from './alert.ts';
import { parseJsonAlert } from './parse-json.ts';
import { looksLikeEventXml, parseEventXml } from './parse-event-xml.ts';
import type { AlertVocabulary } from './parse-text.ts';
import { parseAlertText } from './parse-text.ts';

export function parseAlertInput(input: string, vocabulary: AlertVocabulary, now: Date): AlertParse {
  const trimmed = input.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return unparseable('the body is empty');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let body: unknown;
    try {
      body = JSON.parse(trimmed);
    } catch (err) {
      return unparseable(`the body is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    return parseJsonAlert(body, now);
  }
  if (trimmed.startsWith('<'))
    return looksLikeEventXml(trimmed) ? parseEventXml(trimmed, now) : unparseable('XML that is not an exported event');
  return parseAlertText(trimmed, vocabulary, now);
}
