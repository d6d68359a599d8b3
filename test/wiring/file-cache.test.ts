/**
 * The data folder's cache of results worked out from files (issue 20: the bot listed its lab
 * scenarios by parsing 35 YAML files at every start): answered from the cache while no input
 * changed, worked out afresh when one did, never kept when working it out failed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedByFiles } from '../../src/wiring/file-cache.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'hb-file-cache-'));
  dirs.push(root);
  const inputs = join(root, 'scenarios');
  mkdirSync(join(inputs, 'deeper'), { recursive: true });
  writeFileSync(join(inputs, 'a.yaml'), 'a');
  writeFileSync(join(inputs, 'deeper', 'b.yaml'), 'b');
  const single = join(root, 'loader.js');
  writeFileSync(single, 'code');
  let made = 0;
  let fail = false;
  const make = async () => {
    if (fail) throw new Error('a scenario is broken');
    made += 1;
    return { made };
  };
  const isValue = (v: unknown): v is { made: number } => typeof (v as { made?: unknown })?.made === 'number';
  const get = () => cachedByFiles(join(root, 'data', 'cache', 'x.json'), [inputs, single], make, isValue);
  return {
    root,
    inputs,
    single,
    get,
    failNext: (f: boolean) => (fail = f),
    cacheFile: join(root, 'data', 'cache', 'x.json'),
  };
}

const later = (file: string) => {
  const t = new Date(Date.now() + 60_000);
  utimesSync(file, t, t);
};

describe('cachedByFiles', () => {
  it('works the value out once, then answers from the cache while nothing changed', async () => {
    const c = setup();
    expect(await c.get()).toEqual({ made: 1 });
    expect(await c.get()).toEqual({ made: 1 });
  });

  it('works it out afresh when a file in a folder (at any depth) or a named file changes, appears or goes', async () => {
    const c = setup();
    await c.get();
    later(join(c.inputs, 'deeper', 'b.yaml'));
    expect(await c.get()).toEqual({ made: 2 });
    later(c.single);
    expect(await c.get()).toEqual({ made: 3 });
    writeFileSync(join(c.inputs, 'new.yaml'), 'n');
    expect(await c.get()).toEqual({ made: 4 });
    rmSync(join(c.inputs, 'a.yaml'));
    expect(await c.get()).toEqual({ made: 5 });
    rmSync(c.single);
    expect(await c.get()).toEqual({ made: 6 });
    expect(await c.get()).toEqual({ made: 6 });
  });

  it('keeps nothing when working it out fails: the error comes every time until the files are mended', async () => {
    const c = setup();
    await c.get();
    c.failNext(true);
    writeFileSync(join(c.inputs, 'a.yaml'), 'broken');
    later(join(c.inputs, 'a.yaml'));
    await expect(c.get()).rejects.toThrow('a scenario is broken');
    await expect(c.get()).rejects.toThrow('a scenario is broken');
    c.failNext(false);
    expect(await c.get()).toEqual({ made: 2 });
  });

  it('a half-written or foreign cache is worked out afresh; one that cannot be written costs only time', async () => {
    const c = setup();
    await c.get();
    writeFileSync(c.cacheFile, '{ half');
    expect(await c.get()).toEqual({ made: 2 });
    const kept = JSON.parse(readFileSync(c.cacheFile, 'utf8')) as { fingerprint: string };
    writeFileSync(c.cacheFile, JSON.stringify({ fingerprint: kept.fingerprint, value: { something: 'else' } }));
    expect(await c.get()).toEqual({ made: 3 });
    const blocked = join(c.cacheFile, 'under-a-file.json');
    const make = async () => 'v';
    const isString = (v: unknown): v is string => typeof v === 'string';
    expect(await cachedByFiles(blocked, [c.inputs], make, isString)).toBe('v');
  });

  it('a fresh cache file takes the seed the build made while it matches, and works it out when it does not', async () => {
    const c = setup();
    const seed = join(c.root, 'seed.json');
    const isValue = (v: unknown): v is { made: number } => typeof (v as { made?: unknown })?.made === 'number';
    const make = async () => ({ made: -1 });
    const inputs = [c.inputs, c.single];
    expect(await cachedByFiles(seed, inputs, async () => ({ made: 7 }), isValue)).toEqual({ made: 7 });
    expect(await cachedByFiles(join(c.root, 'd1', 'x.json'), inputs, make, isValue, seed)).toEqual({ made: 7 });
    later(c.single);
    expect(await cachedByFiles(join(c.root, 'd2', 'x.json'), inputs, make, isValue, seed)).toEqual({ made: -1 });
    expect(await cachedByFiles(join(c.root, 'd3', 'x.json'), inputs, make, isValue, join(c.root, 'none'))).toEqual({
      made: -1,
    });
  });
});
