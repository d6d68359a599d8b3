// Loads an entry point of the bot: the bundle in dist/ when it is there and none of the source files
// it was made from changed since (`npm run build`, run by `prepare` on `npm ci`), else the
// TypeScript sources through tsx, so an edited checkout never runs stale code. The bundle saves
// tsx's transpiling at every start (most of a second, and tens of MB) and most of the cost of
// loading some 270 separate modules.
import { readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

const ROOT = join(import.meta.dirname, '..');
/** Where `npm run build` writes the bundle, relative to the project root. */
export const BUNDLE_DIR = 'dist';
/** The build's stamp: when it started, and the source files the bundle was made from. */
export const STAMP = join(BUNDLE_DIR, '.built');
/** The entry points: bundle name → source file. */
export const ENTRIES = { main: 'src/main.ts', cli: 'src/cli.ts' };

/**
 * Whether `root`/dist holds a bundle at least as new as every source file it was made from. Only
 * those files are checked (no walk over src/): a file the bundle does not include cannot make it
 * stale, and a new file only matters once an (edited, so newer) file imports it.
 */
export function buildIsFresh(root = ROOT) {
  let stamp;
  try {
    const file = join(root, STAMP);
    const { sources } = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(sources) || sources.length === 0) return false;
    stamp = statSync(file).mtimeMs;
    for (const source of sources) if (statSync(join(root, source)).mtimeMs > stamp) return false;
    return true;
  } catch {
    return false; // no build, an unreadable stamp, or a source file gone since: run the sources
  }
}

/**
 * Node 22.1 and later keep the compiled code of the modules they load in a cache folder, so the
 * next start skips most of the compiling; older Nodes (20 has no such call) start as before.
 */
function enableCompileCache() {
  if (typeof module.enableCompileCache !== 'function') return;
  try {
    module.enableCompileCache(join(ROOT, 'node_modules', '.cache', 'healthbot', 'compile'));
  } catch {
    // a read-only install: start without the cache
  }
}

/**
 * SQLite is WebAssembly (node-sqlite3-wasm). V8 compiles it quickly with its baseline compiler
 * (Liftoff) and then again, on background threads, with its optimising one for the functions that
 * run often; SQLite's are large, and that second compile cost a CLI command about 0.4 s of CPU
 * (0.85 → 0.45 s) and the bot's start about 0.2 s. On baseline code alone, steady SQLite work ran
 * about 10 % slower (6,000 inserts and selects after 3,000 to warm up) after saving about 1 s of
 * CPU of compiling: far more SQLite work than a bot answering chat questions does in hours. Set
 * before the WebAssembly is first compiled.
 */
function baselineWasmOnly() {
  try {
    setFlagsFromString('--liftoff-only');
  } catch {
    // a V8 without the flag: compile as it likes
  }
}

/** `name` is a key of ENTRIES: `main` (the bot) or `cli`. */
export async function load(name) {
  baselineWasmOnly();
  if (buildIsFresh()) {
    enableCompileCache();
    return import(pathToFileURL(join(ROOT, BUNDLE_DIR, `${name}.js`)).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(ROOT, ENTRIES[name])).href);
}
