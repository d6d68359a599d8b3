// `npm run build`, and `prepare` on `npm ci`: compiles the bot and the CLI to dist/ (no type
// check: that is `npm run typecheck`), then prepares the embedded database's template, so that a
// fresh data folder is a copy instead of a three-second initdb. Without TypeScript installed
// (`npm ci --omit=dev`) it says so and leaves the bot to run its sources through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  console.log(
    'healthbot build: TypeScript is not installed; npm start and npx healthbot will run the sources through tsx',
  );
  process.exit(0);
}
const started = new Date();
rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) {
  // A build that failed must not stop `npm ci` (and so the quick start): no stamp, no dist/, and the
  // launcher runs the sources through tsx. `npm run typecheck` is where type errors fail.
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  console.error('healthbot build: tsc failed; npm start and npx healthbot will run the sources through tsx');
  process.exit(0);
}
// The stamp carries the build's start time: a source saved while tsc ran counts as newer.
const stamp = join(root, 'dist', '.built');
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);

const { ensurePgliteTemplate } = await import(
  pathToFileURL(join(root, 'dist', 'src', 'store', 'pglite-template.js')).href
);
const template = await ensurePgliteTemplate();
console.log(`healthbot build: dist/ compiled; embedded database template ${template ? `in ${template}` : 'not made'}`);
