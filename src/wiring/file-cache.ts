/**
 * A result worked out from files, kept as JSON in the data folder under a fingerprint of those
 * files (each one's path, size and modification time). A start whose fingerprint matches reads the
 * JSON; any difference, or an unreadable cache, works the result out afresh (reporting problems as
 * that always does) and writes a new cache. Only results that were worked out without an error
 * are kept. It serves the runbooks (runbooks-cache.ts) and smaller things too,
 * such as the lab's scenario list, which the bot otherwise parsed from 35 YAML files at each start.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

async function fingerprint(inputs: readonly string[]): Promise<string> {
  const files: string[] = [];
  for (const input of inputs) {
    const s = await stat(input).catch(() => undefined);
    if (s?.isDirectory())
      files.push(...(await readdir(input, { recursive: true }).catch(() => [])).map((e) => join(input, String(e))));
    else files.push(input);
  }
  const lines = await Promise.all(
    files.sort().map(async (file) => {
      const s = await stat(file).catch(() => undefined);
      return s?.isFile() ? `${file} ${s.size} ${s.mtimeMs}` : `${file} missing`;
    }),
  );
  return lines.join('\n');
}

interface CacheFile {
  readonly fingerprint: string;
  readonly value: unknown;
}

const readCache = (file: string) =>
  readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as CacheFile)
    .catch(() => undefined); // missing or half-written: work it out afresh

/**
 * `make()`, or what it gave last time while none of `inputs` (files, or folders taken with
 * everything under them) changed: from `cacheFile`, else from `seedFile` (a cache made by
 * `npm run build`, read only) when that one matches. `valid` checks a cache before it is trusted.
 */
export async function cachedByFiles<T>(
  cacheFile: string,
  inputs: readonly string[],
  make: () => Promise<T>,
  valid: (value: unknown) => value is T,
  seedFile?: string,
): Promise<T> {
  const print = await fingerprint(inputs);
  const usable = (c: CacheFile | undefined): c is CacheFile & { value: T } =>
    c?.fingerprint === print && valid(c.value);
  const cached = await readCache(cacheFile);
  if (usable(cached)) return cached.value;
  const seeded = seedFile ? await readCache(seedFile) : undefined;
  const value = usable(seeded) ? seeded.value : await make();
  // Written beside and renamed: a reader never sees half a cache. A cache that cannot be written
  // (a read-only data folder) only costs the next start the work.
  try {
    await mkdir(dirname(cacheFile), { recursive: true });
    const side = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(side, JSON.stringify({ fingerprint: print, value } satisfies CacheFile));
    await rename(side, cacheFile);
  } catch {
    // nothing to do: see above
  }
  return value;
}
