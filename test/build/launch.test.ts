/**
 * `npm start` and `npx healthbot` run the compiled build only while it is at least as new as every
 * source file (issue 20): an edited checkout falls back to the sources instead of running stale code.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the launcher, without types
import { buildIsFresh } from '../../bin/launch.js';

const fresh = buildIsFresh as (root: string) => boolean;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function checkout(): { root: string; touch(path: string, secondsAgo: number): void } {
  const root = mkdtempSync(join(tmpdir(), 'healthbot-launch-'));
  dirs.push(root);
  for (const d of ['src/core', 'adapters/web', 'dist']) mkdirSync(join(root, d), { recursive: true });
  const touch = (path: string, secondsAgo: number) => {
    writeFileSync(join(root, path), '');
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(root, path), t, t);
  };
  touch('src/main.ts', 100);
  touch('src/core/index.ts', 100);
  touch('adapters/web/page.ts', 100);
  return { root, touch };
}

describe('the launcher picks the build', () => {
  it('when it is newer than every source file', () => {
    const c = checkout();
    c.touch('dist/.built', 50);
    expect(fresh(c.root)).toBe(true);
  });

  it('not when there is no build', () => {
    expect(fresh(checkout().root)).toBe(false);
  });

  it('not when a source file, deep in src/ or in adapters/, changed after the build', () => {
    const a = checkout();
    a.touch('dist/.built', 50);
    a.touch('src/core/index.ts', 10);
    expect(fresh(a.root)).toBe(false);
    const b = checkout();
    b.touch('dist/.built', 50);
    b.touch('adapters/web/page.ts', 10);
    expect(fresh(b.root)).toBe(false);
  });

  it('a browser script or other non-TypeScript file does not make the build stale', () => {
    const c = checkout();
    c.touch('dist/.built', 50);
    c.touch('adapters/web/page.js', 10);
    expect(fresh(c.root)).toBe(true);
  });
});
