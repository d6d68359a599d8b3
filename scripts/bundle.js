// The esbuild bundle of the bot and the CLI (scripts/build.js writes it to dist/; the tests write
// one elsewhere in the checkout to check it).
//
// Why a bundle and not one compiled file per source: a process spent about 0.1 s of CPU resolving,
// reading and linking some 270 ES modules (95 of them zod's, whose `z` re-export drags in every
// locale zod ships). A file per entry point plus shared chunks loads in a fraction of that, and
// tree-shaking leaves out what nothing calls.
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENTRIES } from '../bin/launch.js';

// Packages that read their own files at run time (WebAssembly, data folders, worker scripts: pino's
// transports), that load optional parts by name (pg), or that are large and loaded only when
// configured (Slack, Teams, PowerShell): these stay in node_modules and are imported from there.
export const EXTERNAL = [
  'node-sqlite3-wasm',
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  'pg',
  'botbuilder',
  '@slack/bolt',
  'node-powershell',
  'pino',
  'tsx',
  'tsx/*',
];

/**
 * Bundles ENTRIES (and what the build itself runs: the PGlite template maker, the cache warmer)
 * into `outdir`, which must lie
 * inside the project (the bundle finds the runbooks, locales and node_modules by walking up).
 * Resolves with esbuild's metafile and the project's source files the bundle was made from;
 * rejects when esbuild fails (it has printed why).
 */
export async function bundle(root, outdir) {
  const esbuild = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  const { metafile } = await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      ...ENTRIES,
      'pglite-template': 'src/store/pglite-template.ts',
      'warm-caches': 'src/wiring/warm-caches.ts',
    },
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true, // what only Slack, Teams, PowerShell or one CLI command uses stays in its own file
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: EXTERNAL,
    // Bundled CommonJS packages call require() for Node's own modules; an ES module has none.
    banner: {
      js: "import { createRequire as __healthbotRequire } from 'node:module'; const require = __healthbotRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
  });
  const sources = Object.keys(metafile.inputs)
    .filter((f) => !f.split('/').includes('node_modules'))
    .map((f) => relative(root, join(root, f)))
    .sort();
  return { metafile, sources };
}
