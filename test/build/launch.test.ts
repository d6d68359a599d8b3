/**
 * `npm start` and `npx healthbot` run the bundle only while it is at least as new as every source
 * file it was made from (issue 20): an edited checkout falls back to the sources instead of running
 * stale code. The build's stamp (dist/.built) lists those files.
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

const SOURCES = ['src/main.ts', 'src/core/index.ts', 'adapters/web/page.ts'];

function checkout(): {
  root: string;
  touch(path: string, secondsAgo: number, text?: string): void;
  stamp(secondsAgo: number, sources?: readonly string[]): void;
} {
  const root = mkdtempSync(join(tmpdir(), 'healthbot-launch-'));
  dirs.push(root);
  for (const d of ['src/core', 'adapters/web', 'dist']) mkdirSync(join(root, d), { recursive: true });
  const touch = (path: string, secondsAgo: number, text = '') => {
    writeFileSync(join(root, path), text);
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(root, path), t, t);
  };
  for (const s of SOURCES) touch(s, 100);
  const stamp = (secondsAgo: number, sources: readonly string[] = SOURCES) =>
    touch('dist/.built', secondsAgo, JSON.stringify({ built: 'then', sources }));
  return { root, touch, stamp };
}

describe('the launcher picks the build', () => {
  it('when it is newer than every source file it was made from', () => {
    const c = checkout();
    c.stamp(50);
    expect(fresh(c.root)).toBe(true);
  });

  it('not when there is no build', () => {
    expect(fresh(checkout().root)).toBe(false);
  });

  it('not when a source file, deep in src/ or in adapters/, changed after the build', () => {
    const a = checkout();
    a.stamp(50);
    a.touch('src/core/index.ts', 10);
    expect(fresh(a.root)).toBe(false);
    const b = checkout();
    b.stamp(50);
    b.touch('adapters/web/page.ts', 10);
    expect(fresh(b.root)).toBe(false);
  });

  it('not when a source file it was made from is gone (renamed or deleted since)', () => {
    const c = checkout();
    c.stamp(50);
    rmSync(join(c.root, 'src/core/index.ts'));
    expect(fresh(c.root)).toBe(false);
  });

  it('not when the stamp is unreadable, empty or lists no sources (an older or interrupted build)', () => {
    for (const text of ['', '2026-11-30T13:50:06.894Z\n', '{"sources":[]}', '{"built":"x"}']) {
      const c = checkout();
      c.touch('dist/.built', 50, text);
      expect(fresh(c.root), text).toBe(false);
    }
  });

  it('a browser script or other file the bundle was not made from does not make the build stale', () => {
    const c = checkout();
    c.stamp(50);
    c.touch('adapters/web/page.js', 10);
    c.touch('src/core/notes.ts', 10); // imported by nothing the bundle holds
    expect(fresh(c.root)).toBe(true);
  });
});
