/**
 * The embedded database's start: the settings PGlite runs with, and a pre-initialised data folder.
 *
 * A new data folder costs PGlite an initdb (about 3 s, and hundreds of MB that the process keeps).
 * `npm run build` (run by `prepare` on `npm ci`) runs it once into a template kept under
 * node_modules/.cache, keyed by PGlite's version; a new data folder is then a copy of it.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's own start parameters plus a small buffer cache: PostgreSQL's default 128 MB of
 * shared_buffers is most of the process's memory, and the bot's tables are a few MB.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=16MB',
  '-c',
  'temp_buffers=1MB',
  '-c',
  'work_mem=2MB',
  '-c',
  'maintenance_work_mem=8MB',
];

/** PGlite's package folder, found by walking up from here (works from src/ and from dist/). */
function pglitePackage(): string | undefined {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@electric-sql', 'pglite');
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Where the template for the installed PGlite lives (it may not exist yet). */
export function pgliteTemplateDir(): string | undefined {
  const pkg = pglitePackage();
  if (!pkg) return undefined;
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  return join(pkg, '..', '..', '.cache', 'healthbot', `pglite-${version}`);
}

const initialised = (dir: string) => existsSync(join(dir, 'PG_VERSION'));

/** Makes the template if it is missing; its path, or undefined when PGlite's folder is not found. */
export async function ensurePgliteTemplate(): Promise<string | undefined> {
  const dir = pgliteTemplateDir();
  if (!dir || initialised(dir)) return dir;
  const building = `${dir}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const db = await PGlite.create({ dataDir: building, startParams: [...PGLITE_START_PARAMS] });
  await db.close();
  // A rename is atomic: a reader never sees half a template. Another install may have won the race.
  if (initialised(dir)) rmSync(building, { recursive: true, force: true });
  else renameSync(building, dir);
  return dir;
}

/**
 * Fills an empty data folder from the template, when there is one; whether it did. The copy goes
 * to a side folder first and is renamed into place, so a crash never leaves half a database.
 */
export function seedFromTemplate(dbDir: string): boolean {
  // Only a new, empty folder: anything already there is a database (or its remains) to keep.
  if (existsSync(dbDir) && readdirSync(dbDir).length > 0) return false;
  const template = pgliteTemplateDir();
  if (!template || !initialised(template)) return false;
  const side = `${dbDir}.seeding`;
  rmSync(side, { recursive: true, force: true });
  cpSync(template, side, { recursive: true });
  rmSync(dbDir, { recursive: true, force: true });
  renameSync(side, dbDir);
  return true;
}
