/**
 * `npm ci` runs the build (`prepare`): a build that fails must not fail the install (issue 20).
 * It leaves no dist/ behind (not even an older one), so the launcher runs the sources through tsx.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the checkout's code, sharing its node_modules. */
function copyOfCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), 'healthbot-build-'));
  dirs.push(root);
  for (const part of ['bin', 'scripts', 'src', 'adapters', 'package.json'])
    cpSync(join(ROOT, part), join(root, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

describe('the build run by npm ci', () => {
  it('exits 0 when the bundle fails, says so, and removes the older build', { timeout: 120_000 }, () => {
    const root = copyOfCheckout();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', '.built'), '{"sources":["src/cli.ts"]}');
    appendFileSync(join(root, 'src', 'cli', 'args.ts'), '\nexport const broken = ;\n');
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'build.js')], { cwd: root, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('the bundle failed; npm start and npx healthbot will run the sources through tsx');
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
