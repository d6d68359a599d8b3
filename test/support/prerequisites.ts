/**
 * What some test files need from the machine: a PostgreSQL server, a real PowerShell 7, Debian's
 * Chromium. On a developer machine that lacks one, its tests show as skipped with the reason. In CI
 * (.ci/run sets HEALTHBOT_REQUIRE_TEST_TOOLS=1 after installing all three) a missing tool is a
 * failing test instead, so a broken install step can never pass as a green run with gaps.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { it } from 'vitest';

const required = process.env.HEALTHBOT_REQUIRE_TEST_TOOLS === '1';

/** Registers, in the current describe block, a skipped test naming what is missing (a failing one in CI). */
export function missingPrerequisite(reason: string): void {
  if (required) {
    it(`MISSING IN CI: ${reason}`, () => {
      throw new Error(`${reason}: .ci/run should have installed it (HEALTHBOT_REQUIRE_TEST_TOOLS=1)`);
    });
  } else {
    it.skip(`SKIPPED: ${reason}`, () => {});
  }
}

/** The PostgreSQL test database, when one is configured. */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

/** Debian's Chromium, when installed. */
export function chromiumPath(): string | undefined {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

/** A real PowerShell 7: HEALTHBOT_TEST_PWSH, then pwsh on PATH, then the .NET global tool folder. */
export function pwshPath(): string | undefined {
  const explicit = process.env.HEALTHBOT_TEST_PWSH;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const candidates = [
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'pwsh')),
    join(homedir(), '.dotnet', 'tools', 'pwsh'),
  ];
  return candidates.find((candidate) => existsSync(candidate));
}
