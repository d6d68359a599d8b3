/**
 * Enforces the dependency rule of DESIGN.md by reading every import statement:
 * - src/core imports nothing outside src/core: no platform SDK, no node:fs or child_process,
 *   no database driver, no other package.
 * - adapters import src/core/index.ts, adapters/shared/index.ts, their own folder, their own SDK
 *   and Node built-ins (never node:child_process), and nothing else of src/.
 * - adapters/shared (body reader, pacing, coalescing) imports src/core/index.ts and Node only.
 * - infrastructure (src/exchange, src/store, src/runbooks, src/i18n, ...) imports src/core, its own
 *   folder and packages, never another infrastructure folder or an adapter.
 * - only src/main.ts, src/cli.ts, the CLI's commands (src/cli/) and the shared composition
 *   (src/wiring/) wire things together.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

const ADAPTER_SDKS: Record<string, readonly string[]> = {
  // Slack's HTTP mode is a route on the bot's express app, as Bolt's own receivers are.
  slack: ['@slack/bolt', '@slack/web-api', '@slack/socket-mode', '@slack/types', 'express'],
  teams: ['botbuilder', 'botframework-connector', 'botframework-schema', 'adaptivecards'],
  web: ['express'],
};

function listFiles(dir: string): string[] {
  const abs = join(root, dir);
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = join(abs, name);
    if (statSync(full).isDirectory()) out = out.concat(listFiles(join(dir, name)));
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(join(dir, name));
  }
  return out;
}

/** Every module specifier in static imports, re-exports and dynamic imports. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /^\s*import\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]/gm,
    /^\s*export\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s+from\s+['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.push(m[1]!);
  return specs;
}

interface Violation {
  file: string;
  spec: string;
  why: string;
}

function packageName(spec: string): string {
  if (spec.startsWith('node:')) return spec;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Which layer a repository path belongs to: core, adapter:<name>, infra:<name>, wiring or other. */
function layerOf(path: string): string {
  const p = path.split(sep).join('/');
  if (p.startsWith('src/core/')) return 'core';
  if (p.startsWith('adapters/shared/')) return 'adapter-shared';
  if (p.startsWith('adapters/')) return `adapter:${p.split('/')[1]}`;
  if (p === 'src/main.ts' || p === 'src/cli.ts' || p.startsWith('src/cli/') || p.startsWith('src/wiring/'))
    return 'wiring';
  if (p.startsWith('src/')) {
    const rest = p.slice(4);
    return rest.includes('/') ? `infra:${rest.split('/')[0]}` : `infra:${rest.replace(/\.ts$/, '')}`;
  }
  return 'other';
}

function check(file: string, source = readFileSync(join(root, file), 'utf8')): Violation[] {
  const layer = layerOf(file);
  const violations: Violation[] = [];
  for (const spec of importsOf(source)) {
    const relativeSpec = spec.startsWith('.');
    const target = relativeSpec
      ? relative(root, resolve(root, dirname(file), spec))
          .split(sep)
          .join('/')
      : undefined;
    const targetLayer = target ? layerOf(target) : undefined;
    const bad = (why: string) => violations.push({ file, spec, why });

    if (layer === 'core') {
      if (!relativeSpec) bad('src/core imports no package and no Node built-in');
      else if (targetLayer !== 'core') bad('src/core imports only src/core');
    } else if (layer.startsWith('adapter:')) {
      const name = layer.slice('adapter:'.length);
      if (relativeSpec) {
        if (targetLayer === 'core' && target !== 'src/core/index.ts') bad('adapters import src/core/index.ts only');
        else if (targetLayer === 'adapter-shared' && target !== 'adapters/shared/index.ts')
          bad('adapters import adapters/shared through its index.ts');
        else if (targetLayer !== 'core' && targetLayer !== 'adapter-shared' && targetLayer !== layer)
          bad('adapters import no other part of the project');
      } else if (spec === 'node:child_process') bad('adapters never spawn processes');
      else if (!spec.startsWith('node:') && !(ADAPTER_SDKS[name] ?? []).includes(packageName(spec)))
        bad(`adapter ${name} may import only its SDK (${(ADAPTER_SDKS[name] ?? []).join(', ')})`);
    } else if (layer === 'adapter-shared') {
      // Code every adapter may use: core's public face, its own folder and Node, never an SDK.
      if (relativeSpec) {
        if (targetLayer === 'core' && target !== 'src/core/index.ts')
          bad('adapters/shared imports src/core/index.ts only');
        else if (targetLayer !== 'core' && targetLayer !== layer)
          bad('adapters/shared imports no other part of the project');
      } else if (!spec.startsWith('node:') || spec === 'node:child_process')
        bad('adapters/shared imports no package and never spawns processes');
    } else if (layer.startsWith('infra:')) {
      if (relativeSpec && targetLayer !== 'core' && targetLayer !== layer && targetLayer !== 'other')
        bad(`${layer} imports only src/core and its own folder`);
    }
  }
  return violations;
}

describe('dependency rule', () => {
  const files = [...listFiles('src'), ...listFiles('adapters')];

  it('finds the project sources', () => {
    expect(files).toContain(join('src', 'core', 'index.ts'));
  });

  it('holds for every import in src/ and adapters/', () => {
    const violations = files.flatMap((file) => check(file));
    expect(violations).toEqual([]);
  });

  it('loads each platform adapter only when it is configured (dynamic imports in the composition root)', () => {
    // A bot without Slack or Teams must not load Bolt or botbuilder: the only way in is the
    // registry's dynamic import, which runs for configured platforms only.
    const staticAdapterImports = files
      .filter((file) => file.startsWith(join('src', 'wiring')) || file === join('src', 'main.ts'))
      .flatMap((file) => {
        const source = readFileSync(join(root, file), 'utf8').replace(/\bimport\(\s*['"][^'"]+['"]\s*\)/g, '');
        return importsOf(source)
          .filter((spec) => /adapters\/(slack|teams)\//.test(spec) || /^(@slack\/|botbuilder)/.test(spec))
          .map((spec) => `${file}: ${spec}`);
      });
    expect(staticAdapterImports).toEqual([]);
    const registry = readFileSync(join(root, 'src/wiring/adapters.ts'), 'utf8');
    for (const platform of ['slack', 'teams', 'web'])
      expect(registry).toMatch(new RegExp(`import\\(\\s*'\\.\\./\\.\\./adapters/${platform}/index\\.ts'\\s*\\)`));
  });

  it('reads every kind of import statement', () => {
    const source = [
      "import a from 'pkg-a';",
      "import type { B } from './b.ts';",
      "import { c, d } from '@scope/c/sub';",
      "import './side-effect.ts';",
      "export * from './e.ts';",
      "export { f } from './f.ts';",
      "const g = await import('node:fs');",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      'pkg-a',
      './b.ts',
      '@scope/c/sub',
      './side-effect.ts',
      './e.ts',
      './f.ts',
      'node:fs',
    ]);
  });

  it('catches each kind of violation (so the rule can fail)', () => {
    const cases: [string, string][] = [
      [join('src', 'core', 'engine', 'x.ts'), "import { readFileSync } from 'node:fs';"],
      [join('src', 'core', 'engine', 'x.ts'), "import { App } from '@slack/bolt';"],
      [join('src', 'core', 'engine', 'x.ts'), "import { createLab } from '../../exchange/lab/index.ts';"],
      [join('adapters', 'slack', 'x.ts'), "import type { Store } from '../../src/core/ports/store.ts';"],
      [join('adapters', 'slack', 'x.ts'), "import { openStore } from '../../src/store/index.ts';"],
      [join('adapters', 'slack', 'x.ts'), "import { CloudAdapter } from 'botbuilder';"],
      [join('adapters', 'web', 'x.ts'), "import { spawn } from 'node:child_process';"],
      [join('src', 'store', 'x.ts'), "import { createLab } from '../exchange/lab/index.ts';"],
      [join('adapters', 'shared', 'x.ts'), "import { App } from '@slack/bolt';"],
      [join('adapters', 'shared', 'x.ts'), "import { renderBlocks } from '../slack/blocks.ts';"],
      [join('adapters', 'slack', 'x.ts'), "import { Coalescer } from '../shared/coalesce.ts';"],
      [join('src', 'core', 'engine', 'x.ts'), "import { Coalescer } from '../../../adapters/shared/index.ts';"],
    ];
    for (const [file, source] of cases) expect(check(file, source), `${file}: ${source}`).toHaveLength(1);
    const allowed: [string, string][] = [
      [join('adapters', 'slack', 'x.ts'), "import type { Card } from '../../src/core/index.ts';"],
      [join('adapters', 'slack', 'x.ts'), "import { App } from '@slack/bolt';"],
      [join('src', 'store', 'x.ts'), "import type { Store } from '../core/ports/store.ts';"],
      [join('src', 'cli', 'x.ts'), "import { openStore } from '../store/index.ts';"],
      [join('adapters', 'teams', 'x.ts'), "import { readRawBody } from '../shared/index.ts';"],
      [join('adapters', 'shared', 'x.ts'), "import type { Clock } from '../../src/core/index.ts';"],
    ];
    for (const [file, source] of allowed) expect(check(file, source), `${file}: ${source}`).toEqual([]);
  });
});
