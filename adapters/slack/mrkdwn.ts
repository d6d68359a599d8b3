/**
 * Text for Slack. Slack reads `&`, `<` and `>` as control characters (`<!channel>`, `<@U123>`,
 * `<https://evil|click>`), so those three, and only those, are escaped in everything that came
 * from outside: monitor errors, user names, questions. Escaping more would show up literally.
 */

export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Cuts `text` to at most `max` characters, saying so with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Escaped text that stays at most `max` characters long once escaped: the limit applies to what
 * Slack receives, and `&amp;` is five characters for one.
 */
export function escapedWithin(text: string, max: number): string {
  let escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let keep = Math.min(text.length, max);
  for (;;) {
    escaped = escapeMrkdwn(text.slice(0, keep - 1)) + '…';
    if (escaped.length <= max || keep <= 1) return escaped;
    keep -= Math.max(1, escaped.length - max);
  }
}

/**
 * Preformatted text. A run of three backticks inside would close the block early, so backticks
 * are separated by a zero-width space; the text still reads the same.
 */
export function codeBlock(text: string, max: number): string {
  const safe = text.replace(/`(?=`)/g, '`\u200b');
  return `\`\`\`${escapedWithin(safe, max - 6)}\`\`\``;
}
