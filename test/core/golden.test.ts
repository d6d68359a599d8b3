/** A missing golden file is written on a developer's machine and fails in CI. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectGolden } from '../support/golden.ts';

describe('expectGolden', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-golden-'));
  afterEach(() => rmSync(join(dir, 'card.txt'), { force: true }));

  it('fails in CI when the golden file is missing, and writes nothing', () => {
    expect(() => expectGolden(join(dir, 'card.txt'), 'rendered', { CI: 'true' })).toThrow(/missing/);
    expect(() => expectGolden(join(dir, 'card.txt'), 'rendered', { HEALTHBOT_REQUIRE_TEST_TOOLS: '1' })).toThrow(
      /missing/,
    );
    expect(existsSync(join(dir, 'card.txt'))).toBe(false);
  });

  it('writes a missing golden file on a developer machine, then compares against it', () => {
    expectGolden(join(dir, 'card.txt'), 'rendered', {});
    expect(readFileSync(join(dir, 'card.txt'), 'utf8')).toBe('rendered');
    expect(() => expectGolden(join(dir, 'card.txt'), 'changed', {})).toThrow();
  });
});
