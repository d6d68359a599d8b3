/**
 * The runbooks cache (issue 20: the CLI's half second): a load with no problem is kept under a
 * fingerprint of its inputs, answered from there while nothing changed, and loaded afresh (with
 * its problems reported as ever) as soon as a runbook changes.
 */
import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunbooksCached } from '../../src/wiring/runbooks-cache.ts';
import { loadRunbooks } from '../../src/runbooks/index.ts';
import { LOCALES_DIR, RUNBOOKS_DIR } from '../../src/wiring/paths.ts';

function copyOfRunbooks(): { dir: string; cache: string } {
  const root = mkdtempSync(join(tmpdir(), 'hb-runbook-cache-'));
  const dir = join(root, 'runbooks');
  cpSync(RUNBOOKS_DIR, dir, { recursive: true });
  return { dir, cache: join(root, 'data', 'cache', 'runbooks.json') };
}

/** Marks the cached copy, so a test can tell an answer from the cache from a fresh load. */
function markCache(cache: string): void {
  const kept = JSON.parse(readFileSync(cache, 'utf8')) as { value: { runbooks: { id: string }[] } };
  kept.value.runbooks[0]!.id = 'from-the-cache';
  writeFileSync(cache, JSON.stringify(kept));
}

describe('runbooks cache', () => {
  it('loads what loadRunbooks loads, and answers from the cache while nothing changed', async () => {
    const { dir, cache } = copyOfRunbooks();
    const first = await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, cache);
    expect(first).toEqual(await loadRunbooks(dir, { localesDir: LOCALES_DIR }));
    markCache(cache);
    const second = await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, cache);
    expect(second.runbooks[0]!.id).toBe('from-the-cache');
  });

  it('loads afresh when a runbook changed, and reports its problems instead of the cached runbooks', async () => {
    const { dir, cache } = copyOfRunbooks();
    await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, cache);
    markCache(cache);
    const imap = join(dir, 'imap.yaml');
    const later = new Date(Date.now() + 60_000);
    utimesSync(imap, later, later);
    expect((await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, cache)).runbooks[0]!.id).not.toBe(
      'from-the-cache',
    );
    writeFileSync(imap, `${readFileSync(imap, 'utf8')}\nnot: [valid`);
    await expect(loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, cache)).rejects.toMatchObject({
      name: expect.stringMatching(/ConfigError/),
    });
  });

  it('an unreadable cache is a full load, and one that cannot be written costs nothing but time', async () => {
    const { dir, cache } = copyOfRunbooks();
    await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, cache);
    writeFileSync(cache, '{ half a file');
    expect((await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, cache)).runbooks.length).toBeGreaterThan(0);
    // A cache path under a file cannot be created.
    const blocked = join(cache, 'under-a-file', 'runbooks.json');
    expect((await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, blocked)).runbooks.length).toBeGreaterThan(0);
  });

  it('a fresh data folder takes the cache the build made while it matches, and loads afresh when it does not', async () => {
    const { dir, cache } = copyOfRunbooks();
    const seed = join(dir, '..', 'seed', 'runbooks.json');
    await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, seed); // what the build does
    markCache(seed);
    const fresh = await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, cache, seed);
    expect(fresh.runbooks[0]!.id).toBe('from-the-cache');
    // It became the data folder's own cache.
    expect(
      (JSON.parse(readFileSync(cache, 'utf8')) as { value: { runbooks: { id: string }[] } }).value.runbooks[0]!.id,
    ).toBe('from-the-cache');
    // A runbook changed after the build: neither cache matches.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'imap.yaml'), later, later);
    const other = join(dir, '..', 'other-data', 'runbooks.json');
    expect((await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, other, seed)).runbooks[0]!.id).not.toBe(
      'from-the-cache',
    );
    // A missing or broken seed is a full load.
    writeFileSync(seed, '{ half');
    const third = join(dir, '..', 'third-data', 'runbooks.json');
    expect((await loadRunbooksCached(dir, { localesDir: LOCALES_DIR }, third, seed)).runbooks.length).toBeGreaterThan(
      0,
    );
  });
});
