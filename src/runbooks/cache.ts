/**
 * Loading the runbooks means parsing twenty YAML files and checking them against the schema and
 * every locale: about a second of CPU at each start and each CLI command, for files that rarely
 * change. The result of a load that found no problem is kept as JSON in the data folder, under a
 * fingerprint of everything it came from (each runbook, template and locale file's path, size and
 * modification time, and the loader's own files); a start whose fingerprint matches reads the
 * JSON instead. Any difference, or an unreadable cache, means a full load (which reports problems
 * exactly as before) and a new cache.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LoadedRunbooks, LoadOptions } from './load.ts';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.map((e) => join(dir, String(e))).sort();
}

/** One line per input file; any change to any of them changes the fingerprint. */
async function fingerprint(dir: string, options: LoadOptions): Promise<string> {
  const locales = options.localesDir
    ? (await filesUnder(options.localesDir)).filter((f) => f.endsWith('runbooks.json'))
    : [];
  // The loader's own files: src/runbooks/ from the sources, the whole bundle in dist/ when bundled.
  const inputs = [...(await filesUnder(dir)), ...locales, ...(await filesUnder(import.meta.dirname))];
  const lines = await Promise.all(
    inputs.map(async (file) => {
      const s = await stat(file).catch(() => undefined);
      return s?.isFile() ? `${file} ${s.size} ${s.mtimeMs}` : '';
    }),
  );
  return lines.filter(Boolean).join('\n');
}

interface CacheFile {
  readonly fingerprint: string;
  readonly loaded: LoadedRunbooks;
}

const readCache = (file: string) =>
  readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as CacheFile)
    .catch(() => undefined); // missing or half-written: load afresh

/**
 * `loadRunbooks`, answered from `cacheFile` when nothing it was made from has changed, else from
 * `seedFile` (the cache `npm run build` made beside the install, so that a fresh data folder does
 * not pay the full load either) when that one matches.
 */
export async function loadRunbooksCached(
  dir: string,
  options: LoadOptions,
  cacheFile: string,
  seedFile?: string,
): Promise<LoadedRunbooks> {
  const print = await fingerprint(dir, options);
  const usable = (c: CacheFile | undefined): c is CacheFile =>
    c?.fingerprint === print && Array.isArray(c.loaded?.runbooks) && c.loaded.runbooks.length > 0;
  const cached = await readCache(cacheFile);
  if (usable(cached)) return cached.loaded;
  const seeded = seedFile ? await readCache(seedFile) : undefined;
  // The loader (and the YAML parser) is loaded only when no cache can answer.
  const loaded = usable(seeded) ? seeded.loaded : await (await import('./load.ts')).loadRunbooks(dir, options);
  // Written beside and renamed: a reader never sees half a cache. A cache that cannot be written
  // (a read-only data folder) only costs the next start the full load.
  try {
    await mkdir(dirname(cacheFile), { recursive: true });
    const side = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(side, JSON.stringify({ fingerprint: print, loaded } satisfies CacheFile));
    await rename(side, cacheFile);
  } catch {
    // nothing to do: see above
  }
  return loaded;
}
