/**
 * Cards as plain text for the terminal. No markup to escape: control characters are the only
 * thing a hostile string could abuse here, so they are replaced.
 */
import type { Card } from '../core/index.ts';

const SEVERITY_MARK: Record<Card['severity'], string> = {
  ok: '[ok]',
  info: '[info]',
  warning: '[warning]',
  critical: '[CRITICAL]',
};

// Terminal escape sequences start with ESC (0x1b); tabs and newlines are kept for layout.
const isControl = (code: number) => (code < 0x20 && code !== 0x09 && code !== 0x0a) || code === 0x7f;
const clean = (s: string) => [...s].map((ch) => (isControl(ch.codePointAt(0)!) ? '?' : ch)).join('');

export function cardToText(card: Card): string {
  const lines = [`${SEVERITY_MARK[card.severity]} ${clean(card.title)}`];
  const width = Math.max(0, ...card.facts.map((f) => f.label.length));
  for (const f of card.facts) lines.push(`  ${clean(f.label).padEnd(width)}  ${clean(f.value)}`);
  for (const s of card.sections) {
    if (s.kind === 'text') lines.push(`  ${clean(s.text)}`);
    else if (s.kind === 'code')
      lines.push(
        ...clean(s.text)
          .split('\n')
          .map((l) => `    | ${l}`),
      );
    else s.items.forEach((item, i) => lines.push(`  ${i + 1}. ${clean(item)}`));
  }
  if (card.actions.length > 0) {
    lines.push(
      `  buttons: ${card.actions.map((a) => `[${clean(a.label)}]${a.style === 'danger' ? '!' : ''} (${a.id})`).join('  ')}`,
    );
  }
  if (card.context) lines.push(`  -- ${clean(card.context)}`);
  return lines.join('\n');
}
