/**
 * Loading the runbooks means parsing twenty YAML files and checking them against the schema and
 * every locale: about a second of CPU at each start and each CLI command, for files that rarely
 * change. A load that found no problem is kept by the file cache (file-cache.ts) under a
 * fingerprint of everything it came from: each runbook and template, each locale's
 * `runbooks.json`, and the loader's own files. A start whose fingerprint matches reads the JSON;
 * any difference means a full load, which reports problems exactly as before, and a new cache.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedRunbooks, LoadOptions } from '../runbooks/index.ts';
import { cachedByFiles } from './file-cache.ts';
import { PROJECT_ROOT } from './paths.ts';

/**
 * The loader's own code: src/runbooks/ when the sources run, and this module's folder, which is
 * the whole bundle in dist/ when the bundle runs (the sources cannot be what runs then).
 */
const LOADER_CODE = [join(PROJECT_ROOT, 'src', 'runbooks'), import.meta.dirname];

const isLoaded = (value: unknown): value is LoadedRunbooks =>
  Array.isArray((value as Partial<LoadedRunbooks> | undefined)?.runbooks) &&
  (value as LoadedRunbooks).runbooks.length > 0;

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
  const locales = options.localesDir
    ? (await readdir(options.localesDir, { recursive: true }).catch(() => [] as string[]))
        .map((e) => join(options.localesDir!, String(e)))
        .filter((f) => f.endsWith('runbooks.json'))
    : [];
  return cachedByFiles(
    cacheFile,
    [dir, ...locales, ...LOADER_CODE],
    // The loader (and the YAML parser) is loaded only when no cache can answer.
    async () => (await import('../runbooks/load.ts')).loadRunbooks(dir, options),
    isLoaded,
    seedFile,
  );
}
