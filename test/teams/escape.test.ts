/**
 * Escaping for Adaptive Card Markdown, for any text at all (fast-check): nothing that opens
 * Markdown survives unescaped, nothing is lost (undoing the escapes gives the text back), and the
 * characters that could make a name read backwards are gone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, escapeMarkdown, plainText } from '../../adapters/teams/escape.ts';

const SPECIAL = new Set(['\\', '`', '*', '_', '~', '[', ']', '<', '>', '&']);

/** Special characters not preceded by a backslash that escapes them. */
function unescaped(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (SPECIAL.has(text[i]!)) found.push(text[i]!);
  }
  return found;
}

const unescape = (text: string) => text.replace(/\\(.)/g, '$1');

/** Text with a good share of Markdown and control characters. */
const markdownish = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...'\\`*_~[]()<>&#|!-+=.1 \n\t\r\u202e\u2066\u0000'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 80,
});

describe('escapeMarkdown', () => {
  it('leaves no Markdown character unescaped and no block syntax at a line start', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const out = escapeMarkdown(text);
        expect(unescaped(out)).toEqual([]);
        for (const line of out.split('\n')) {
          expect(line).not.toMatch(/^\s/);
          expect(line).not.toMatch(/^[-+#>]/);
          expect(line).not.toMatch(/^\d+[.)]/);
        }
        // eslint-disable-next-line no-control-regex
        expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000\r]/);
      }),
      { numRuns: 500 },
    );
  });

  it('loses nothing but leading blanks, control and bidi characters', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const expected = cleanText(text)
          .split('\n')
          .map((l) => l.replace(/^\s+/, ''))
          .join('\n');
        expect(unescape(escapeMarkdown(text))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('examples', () => {
    expect(escapeMarkdown('[x](http://evil)')).toBe('\\[x\\](http://evil)');
    expect(escapeMarkdown('**bold** _it_ `c` ~s~')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\`c\\` \\~s\\~');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('12. item')).toBe('12\\. item');
    expect(escapeMarkdown('# title')).toBe('\\# title');
    expect(escapeMarkdown('&#91;x&#93;(y)')).toBe('\\&#91;x\\&#93;(y)');
    expect(escapeMarkdown('<at>Bob</at>')).toBe('\\<at\\>Bob\\</at\\>');
    expect(escapeMarkdown('IMAP\\ImapCTPProbe')).toBe('IMAP\\\\ImapCTPProbe');
    expect(escapeMarkdown('Alice \u202eevil')).toBe('Alice evil');
    // Nothing to do for ordinary text.
    expect(escapeMarkdown('IMAP on SERVER1: problem confirmed (2.4 s)')).toBe(
      'IMAP on SERVER1: problem confirmed (2.4 s)',
    );
  });

  it('plainText flattens and clips', () => {
    expect(plainText('a\n  b\r\nc')).toBe('a b c');
    expect(plainText('x'.repeat(10), 5)).toBe('xxxx…');
  });
});
