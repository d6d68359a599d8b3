/**
 * Escaping for the Markdown subset that Adaptive Card TextBlocks and FactSets render in Teams.
 *
 * Every string on a card may carry text from outside: a monitor's error, a probe's exception, a
 * person's display name, a question typed in chat. None of it may turn into a link, emphasis, a
 * list or a heading. Each character that can open Markdown syntax is escaped with a backslash,
 * which the CommonMark rules Teams follows render as the character itself. Where a client ignores
 * backslash escapes (older mobile clients did), the reader sees a stray backslash, but the syntax
 * is still broken: `\[x\]\(y\)` is no link to any parser, because the brackets are no longer
 * adjacent. Bare URLs are left alone: a client may still make them clickable, but the text shown
 * is then the address itself, so nothing can hide where a link goes.
 *
 * Button titles are plain text in Adaptive Cards and are not passed through here.
 */

import { BIDI_CONTROLS } from '../../src/core/index.ts';

/**
 * Characters that can open inline Markdown anywhere in a line: emphasis, code spans, strikethrough,
 * links and images (brackets: with both escaped, no "](" can ever form), autolinks and HTML, and
 * entities (an `&#91;` must not turn into a bracket after escaping).
 */
const INLINE = /[\\`*_~[\]<>&]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Removes characters that have no business on a card and normalises line ends. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replace(CONTROL, '').replace(BIDI_CONTROLS, '');
}

/**
 * Escapes one line (no newlines) for a TextBlock or Fact. Renderers put every line in a block of
 * its own, so only single-line block syntax needs care: a line starting with a heading mark, a
 * bullet, a number and a dot, or four spaces (a code block) is defused at its start.
 */
function escapeLine(line: string): string {
  let out = line.replace(/^\s+/, '').replace(INLINE, (c) => `\\${c}`);
  out = out.replace(/^([-+#])/, '\\$1');
  out = out.replace(/^(\d+)([.)])/, '$1\\$2');
  return out;
}

/** Escapes text for Adaptive Card Markdown; newlines are kept (callers split lines into blocks). */
export function escapeMarkdown(text: string): string {
  return cleanText(text).split('\n').map(escapeLine).join('\n');
}

/** Plain text for places without Markdown (button titles, fallback text, notification summaries). */
export function plainText(text: string, max = 4000): string {
  const clean = cleanText(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
