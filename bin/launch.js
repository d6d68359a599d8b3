// Loads an entry point of the bot: the compiled build in dist/ when it is there and no source file
// is newer than it (`npm run build`, run by `prepare` on `npm ci`), else the TypeScript sources
// through tsx, so an edited checkout never runs stale code. The build saves tsx's transpiling at
// every start (most of a second, and tens of MB).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const SOURCES = ['src', 'adapters'];

function newestSource(root) {
  let newest = 0;
  for (const dir of SOURCES) {
    for (const file of readdirSync(join(root, dir), { recursive: true })) {
      if (!String(file).endsWith('.ts')) continue;
      newest = Math.max(newest, statSync(join(root, dir, String(file))).mtimeMs);
    }
  }
  return newest;
}

/** Whether `root`/dist holds a build at least as new as every source file under `root`. */
export function buildIsFresh(root = ROOT) {
  const stamp = join(root, 'dist', '.built');
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(root);
}

/** `entry` without extension, relative to the project root, e.g. `src/cli`. */
export async function load(entry) {
  if (buildIsFresh()) return import(pathToFileURL(join(ROOT, 'dist', `${entry}.js`)).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(ROOT, `${entry}.ts`)).href);
}
