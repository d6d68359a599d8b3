/**
 * Golden files: a rendered text compared with the one checked in. A developer writes a missing
 * golden (or all of them with UPDATE_GOLDEN=1) and reviews the diff; in CI (CI or
 * HEALTHBOT_REQUIRE_TEST_TOOLS=1) a missing golden is a failure, since writing it there would
 * make the test pass on whatever the code renders today.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

export const inCi = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.CI) || env.HEALTHBOT_REQUIRE_TEST_TOOLS === '1';

export function expectGolden(path: string, text: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(path)) {
    if (inCi(env))
      throw new Error(`golden file ${path} is missing: render it locally (UPDATE_GOLDEN=1), review it and commit it`);
    writeFileSync(path, text);
  } else if (env.UPDATE_GOLDEN) {
    writeFileSync(path, text);
  }
  expect(text).toBe(readFileSync(path, 'utf8'));
}
