/**
 * Loads `runbooks/*.yaml` into the engine's Runbook model, or reports every problem at once with
 * its file, its path inside the file and its line, so `healthbot runbooks lint` reads like a
 * compiler and a broken runbook never reaches the engine.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { KnownHealthSet } from '../core/engine/catalogue.ts';
import type { Runbook, Step } from '../core/index.ts';
import { ConfigError, SUPPORTED_LOCALES } from '../core/index.ts';
import type { Path } from './semantics.ts';
import { checkRunbook, keysOf } from './semantics.ts';
import { leftoverPlaceholders } from './placeholders.ts';
import type { RunbookFile } from './schema.ts';
import { knownHealthSetsSchema, runbookSchema } from './schema.ts';

export const KNOWN_HEALTH_SETS_FILE = 'known-health-sets.yaml';

export interface LintProblem {
  readonly file: string;
  /** Dotted path inside the file, e.g. `monitors[0].ladder[2].params`. */
  readonly path: string;
  readonly line?: number;
  readonly message: string;
}

export interface LoadOptions {
  /** Where `locales/<lng>/runbooks.json` live; every key a runbook uses must exist in each. */
  readonly localesDir?: string;
}

export interface LoadedRunbooks {
  readonly runbooks: readonly Runbook[];
  readonly known: readonly KnownHealthSet[];
}

interface ParsedFile {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

function formatPath(path: Path): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '') || '(file)';
}

/** The line of the deepest node on `path` that exists (aliases and defaults may cut it short). */
function lineOf(parsed: ParsedFile, path: Path): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = parsed.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return parsed.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function problemAt(parsed: ParsedFile, path: Path, message: string): LintProblem {
  const line = lineOf(parsed, path);
  return { file: parsed.file, path: formatPath(path), ...(line ? { line } : {}), message };
}

async function parseFile(file: string): Promise<{ parsed: ParsedFile; problems: LintProblem[] }> {
  const lines = new LineCounter();
  const doc = parseDocument(await readFile(file, 'utf8'), { lineCounter: lines, uniqueKeys: true });
  const parsed = { file, doc, lines };
  const problems = doc.errors.map((e) => ({
    file,
    path: '(yaml)',
    line: e.linePos?.[0]?.line ?? 0,
    message: e.message.split('\n')[0] ?? e.message,
  }));
  return { parsed, problems };
}

/** The `runbooks` namespace of every supported locale (a missing file counts as empty). */
async function readRunbookTexts(localesDir: string): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const lng of SUPPORTED_LOCALES) {
    // Only a missing file counts as empty; one that cannot be read is a problem to report.
    const text = await readFile(join(localesDir, lng, 'runbooks.json'), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '{}';
      throw err;
    });
    out[lng] = JSON.parse(text) as Record<string, unknown>;
  }
  return out;
}

function hasKey(resources: Record<string, unknown> | undefined, key: string): boolean {
  let node: unknown = resources;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

function toRunbook(rb: RunbookFile, file: string): Runbook {
  // The schema and the semantic checks together establish the Runbook type; zod infers optional
  // keys as `T | undefined`, which exactOptionalPropertyTypes keeps apart from absent keys.
  return { ...rb, file, monitors: rb.monitors.map((m) => ({ ...m, ladder: m.ladder as unknown as Step[] })) } as unknown as Runbook;
}

async function lintAll(dir: string, options: LoadOptions): Promise<{ problems: LintProblem[]; loaded: LoadedRunbooks }> {
  const names = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const problems: LintProblem[] = [];
  const runbooks: Runbook[] = [];
  let known: KnownHealthSet[] = [];
  const locales = options.localesDir ? await readRunbookTexts(options.localesDir) : undefined;
  const healthSetOwner = new Map<string, string>();
  const aliasOwner = new Map<string, string>();
  const ids = new Map<string, string>();

  for (const name of names) {
    const { parsed, problems: yamlProblems } = await parseFile(join(dir, name));
    problems.push(...yamlProblems);
    if (yamlProblems.length > 0) continue;
    const data: unknown = parsed.doc.toJS({ maxAliasCount: 100 });
    if (name === KNOWN_HEALTH_SETS_FILE) {
      const result = knownHealthSetsSchema.safeParse(data);
      if (!result.success) for (const issue of result.error.issues) problems.push(problemAt(parsed, issue.path as Path, issue.message));
      else known = result.data.healthSets.map((h) => ({ name: h.name, aliases: h.aliases.map((a) => a.toLowerCase()) }));
      continue;
    }
    const result = runbookSchema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(problemAt(parsed, issue.path as Path, issue.message));
      continue;
    }
    const rb = result.data;
    const before = problems.length;
    for (const p of checkRunbook(rb)) problems.push(problemAt(parsed, p.path, p.message));
    if (ids.has(rb.id)) problems.push(problemAt(parsed, ['id'], `runbook id ${rb.id} is also used by ${ids.get(rb.id)}`));
    ids.set(rb.id, name);
    rb.healthSets.forEach((hs, hi) => {
      const owner = healthSetOwner.get(hs.name.toLowerCase());
      if (owner) problems.push(problemAt(parsed, ['healthSets', hi, 'name'], `${hs.name} is already covered by ${owner}`));
      healthSetOwner.set(hs.name.toLowerCase(), name);
      hs.aliases.forEach((alias, ai) => {
        if (alias !== alias.toLowerCase()) problems.push(problemAt(parsed, ['healthSets', hi, 'aliases', ai], 'aliases are lower case'));
        const other = aliasOwner.get(alias.toLowerCase());
        if (other && other !== hs.name) problems.push(problemAt(parsed, ['healthSets', hi, 'aliases', ai], `alias "${alias}" already means ${other}`));
        aliasOwner.set(alias.toLowerCase(), hs.name);
      });
    });
    if (locales) {
      for (const { key, path } of keysOf(rb))
        for (const lng of SUPPORTED_LOCALES)
          if (!hasKey(locales[lng], key))
            problems.push(problemAt(parsed, path, `text ${key} is missing from locales/${lng}/runbooks.json`));
      for (const { path, message } of leftoverPlaceholders(rb, locales)) problems.push(problemAt(parsed, path, message));
    }
    if (problems.length === before) runbooks.push(toRunbook(rb, parsed.file));
  }
  return { problems, loaded: { runbooks, known } };
}

/** Every problem in the runbooks directory; empty when all is well. */
export async function lintRunbooks(dir: string, options: LoadOptions = {}): Promise<LintProblem[]> {
  return (await lintAll(dir, options)).problems;
}

/** The runbooks and the known-only health sets; throws ConfigError listing every problem. */
export async function loadRunbooks(dir: string, options: LoadOptions = {}): Promise<LoadedRunbooks> {
  const { problems, loaded } = await lintAll(dir, options);
  if (problems.length > 0)
    throw new ConfigError(problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''} ${p.path}: ${p.message}`));
  if (loaded.runbooks.length === 0) throw new ConfigError([`no runbooks found in ${dir}`]);
  return loaded;
}
