// `npm run build`, and `prepare` on `npm ci`: bundles the bot and the CLI into dist/ with esbuild
// (scripts/bundle.js; no type check: that is `npm run typecheck`), fills the caches a start reads
// (src/wiring/warm-caches.ts), and prepares the embedded database's template.
// A failed build never fails `npm ci`: there is then no dist/, and the launcher runs the sources
// through tsx.
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_DIR, STAMP } from '../bin/launch.js';
import { bundle } from './bundle.js';

const root = join(import.meta.dirname, '..');
const out = join(root, BUNDLE_DIR);
const started = new Date();
let sources;
try {
  ({ sources } = await bundle(root, out));
} catch (err) {
  rmSync(out, { recursive: true, force: true });
  const why = err?.code === 'ERR_MODULE_NOT_FOUND' ? 'esbuild is not installed' : 'the bundle failed';
  console.error(`healthbot build: ${why}; npm start and npx healthbot will run the sources through tsx`);
  process.exit(0);
}

// The stamp names every source file the bundle was made from, and carries the build's start time
// (a source saved while esbuild ran counts as newer): the launcher checks just those files.
const stamp = join(root, STAMP);
writeFileSync(stamp, `${JSON.stringify({ built: started.toISOString(), sources }, null, 1)}\n`);
utimesSync(stamp, started, started);

// The caches a start reads (runbooks, lab scenarios), made once here for every fresh data folder.
// A runbook with a problem is reported by the bot and the CLI as ever; the build goes on without.
const seeded = await import(pathToFileURL(join(out, 'warm-caches.js')).href)
  .then(({ warmCaches }) => warmCaches())
  .catch((err) => console.error(`healthbot build: start caches not made: ${err?.message ?? err}`));

// The template only serves data folders of PGlite (the embedded default is SQLite): a template
// that cannot be made is reported, and does not fail the build.
const template = await import(pathToFileURL(join(out, 'pglite-template.js')).href)
  .then(({ ensurePgliteTemplate }) => ensurePgliteTemplate())
  .catch((err) => console.error(`healthbot build: embedded database template not made: ${err?.message ?? err}`));
console.log(
  `healthbot build: ${relative(root, out)}/ bundled from ${sources.length} source files; start caches ${seeded ? `in ${seeded}` : 'not made'}; embedded database template ${template ? `in ${template}` : 'not made'}`,
);
