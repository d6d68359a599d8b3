/**
 * cleanText, the boundary's one rule for text from outside: whatever comes in, what goes out is
 * well-formed UTF-16 (so UTF-8 for the store), has no NUL or other stray control character and no
 * bidi control, keeps everything else, and cleaning twice changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanCard, cleanText } from '../../src/core/index.ts';

/** A lone surrogate: text that has no UTF-8 form (String#isWellFormed is not in this TypeScript lib). */
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069\r]/;

describe('cleanText', () => {
  it('always yields well-formed text without NUL, controls or bidi controls, and is idempotent', () => {
    const unit = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({
        unit: fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\u2066', '\r', '\n', '\t', 'a', 'é', '😀'),
      }),
    );
    fc.assert(
      fc.property(unit, (text) => {
        const clean = cleanText(text);
        expect(clean).not.toMatch(LONE);
        expect(Buffer.from(clean, 'utf8').toString('utf8')).toBe(clean);
        expect(clean).not.toMatch(FORBIDDEN);
        expect(cleanText(clean)).toBe(clean);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps what people write: letters, emoji (surrogate pairs), tabs and newlines', () => {
    expect(cleanText('Grüße 😀\tline\nnext')).toBe('Grüße 😀\tline\nnext');
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(cleanText('\ud83d\ude00\ud83d')).toBe('😀\ufffd');
    expect(cleanText('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
  });
});

describe('cleanCard', () => {
  it('keeps what a fact means: its danger style reaches the renderers', () => {
    const card = cleanCard({
      kind: 'diagnosis',
      title: 'T',
      severity: 'critical',
      facts: [
        { label: 'Managed Availability', value: 'rebooted SERVER1', style: 'danger' },
        { label: 'Server', value: 'SERVER1' },
      ],
      sections: [],
      actions: [],
    });
    expect(card.facts).toEqual([
      { label: 'Managed Availability', value: 'rebooted SERVER1', style: 'danger' },
      { label: 'Server', value: 'SERVER1' },
    ]);
  });
});
