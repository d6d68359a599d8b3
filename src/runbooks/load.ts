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
import type { StepOrigin, TemplateFile } from './templates.ts';
import { checkTemplate, expandTemplate, templateUseSchema } from './templates.ts';

export const KNOWN_HEALTH_SETS_FILE = 'known-health-sets.yaml';
/** Ladder templates live in this folder under the runbooks directory. */
export const TEMPLATES_DIR = 'templates';

export interface LintProblem {
  readonly file: string;
  /** Dotted path inside the file, e.g. `monitors[0].ladder[2].params`. */
  readonly path: string;
  readonly line?: number;
  readonly message: string;
  /** For a problem in a step a template supplied: where that step is written in the template. */
  readonly template?: { readonly file: string; readonly path: string; readonly line?: number };
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
  return (
    path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '') || '(file)'
  );
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
  return {
    ...rb,
    file,
    monitors: rb.monitors.map((m) => ({ ...m, ladder: m.ladder as unknown as Step[] })),
  } as unknown as Runbook;
}

interface LoadedTemplateFile {
  readonly parsed: ParsedFile;
  readonly template?: TemplateFile;
  readonly problems: readonly LintProblem[];
}

/** Every `templates/*.yaml`, each checked on its own; a missing folder means no templates. */
async function loadTemplates(dir: string): Promise<Map<string, LoadedTemplateFile>> {
  const folder = join(dir, TEMPLATES_DIR);
  const names = (
    await readdir(folder).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    })
  )
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const out = new Map<string, LoadedTemplateFile>();
  for (const name of names) {
    const { parsed, problems } = await parseFile(join(folder, name));
    const id = name.replace(/\.ya?ml$/, '');
    if (problems.length > 0) {
      out.set(id, { parsed, problems });
      continue;
    }
    const checked = checkTemplate(parsed.doc.toJS({ maxAliasCount: 100 }), name);
    out.set(id, {
      parsed,
      ...(checked.template ? { template: checked.template } : {}),
      problems: checked.problems.map((p) => problemAt(parsed, p.path, p.message)),
    });
  }
  return out;
}

/** How the monitors of one runbook file were expanded, to report problems where they are written. */
type Expanded = Map<
  number,
  { readonly tpl: LoadedTemplateFile; readonly id: string; readonly origins: readonly StepOrigin[] }
>;

/** Replaces each monitor's `template:` by the ladder it stands for; problems of the use are reported at the runbook. */
function expandMonitors(
  data: unknown,
  parsed: ParsedFile,
  templates: Map<string, LoadedTemplateFile>,
  problems: LintProblem[],
): Expanded {
  const expanded: Expanded = new Map();
  const monitors = (data as { monitors?: unknown } | null)?.monitors;
  if (!Array.isArray(monitors)) return expanded;
  monitors.forEach((monitor: unknown, mi) => {
    if (!monitor || typeof monitor !== 'object' || !('template' in monitor)) return;
    const m = monitor as Record<string, unknown>;
    const at = (...rest: Path) => ['monitors', mi, 'template', ...rest];
    if ('ladder' in m) {
      problems.push(problemAt(parsed, at(), 'a monitor has either a ladder or a template, not both'));
      return;
    }
    const use = templateUseSchema.safeParse(m.template);
    if (!use.success) {
      for (const issue of use.error.issues)
        problems.push(problemAt(parsed, at(...(issue.path as Path)), issue.message));
      return;
    }
    const tpl = templates.get(use.data.use);
    if (!tpl) {
      problems.push(
        problemAt(
          parsed,
          at('use'),
          `no template ${use.data.use} in ${TEMPLATES_DIR}/ (known: ${[...templates.keys()].join(', ') || 'none'})`,
        ),
      );
      return;
    }
    if (!tpl.template || tpl.problems.length > 0) {
      for (const p of tpl.problems)
        problems.push({
          ...problemAt(parsed, at('use'), `template ${use.data.use} cannot be used: ${p.path}: ${p.message}`),
          template: { file: p.file, path: p.path, ...(p.line ? { line: p.line } : {}) },
        });
      return;
    }
    const expansion = expandTemplate(tpl.template, use.data, m);
    for (const p of expansion.problems) problems.push(problemAt(parsed, at(...p.path), p.message));
    if (expansion.problems.length > 0) return;
    const { template: _use, ...rest } = m;
    monitors[mi] = { ...rest, ladder: expansion.ladder, template: use.data.use };
    expanded.set(mi, { tpl, id: use.data.use, origins: expansion.origins });
  });
  return expanded;
}

/**
 * A problem at `path` of the expanded runbook, reported where it is written: in the runbook for
 * its own keys and overrides, at the runbook's `template.use` with the template's file, path and
 * line beside it for a step the template supplied.
 */
function locate(parsed: ParsedFile, expanded: Expanded, path: Path, message: string): LintProblem {
  const [monitors, mi, ladder, si] = path;
  const rest = path.slice(4);
  const use = typeof mi === 'number' ? expanded.get(mi) : undefined;
  if (monitors !== 'monitors' || ladder !== 'ladder' || typeof mi !== 'number' || !use)
    return problemAt(parsed, path, message);
  const origin = typeof si === 'number' ? use.origins[si] : undefined;
  if (!origin) return problemAt(parsed, ['monitors', mi, 'template'], message);
  if (origin.from === 'override')
    return problemAt(parsed, ['monitors', mi, 'template', 'override', origin.id, ...rest], message);
  const inTemplate = problemAt(use.tpl.parsed, ['ladder', origin.index, ...rest], message);
  const where = `${inTemplate.file}${inTemplate.line ? `:${inTemplate.line}` : ''} ${inTemplate.path}`;
  return {
    ...problemAt(parsed, ['monitors', mi, 'template', 'use'], `${message} (in template ${use.id}, ${where})`),
    template: { file: inTemplate.file, path: inTemplate.path, ...(inTemplate.line ? { line: inTemplate.line } : {}) },
  };
}

async function lintAll(
  dir: string,
  options: LoadOptions,
): Promise<{ problems: LintProblem[]; loaded: LoadedRunbooks }> {
  const names = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const problems: LintProblem[] = [];
  const runbooks: Runbook[] = [];
  let known: KnownHealthSet[] = [];
  const locales = options.localesDir ? await readRunbookTexts(options.localesDir) : undefined;
  const templates = await loadTemplates(dir);
  for (const t of templates.values()) problems.push(...t.problems);
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
      if (!result.success)
        for (const issue of result.error.issues) problems.push(problemAt(parsed, issue.path as Path, issue.message));
      else
        known = result.data.healthSets.map((h) => ({
          name: h.name,
          aliases: h.aliases.map((a) => a.toLowerCase()),
          ...(h.article === false ? { documented: false } : {}),
        }));
      continue;
    }
    const before = problems.length;
    const expanded = expandMonitors(data, parsed, templates, problems);
    const result = runbookSchema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push(locate(parsed, expanded, issue.path as Path, issue.message));
      continue;
    }
    const rb = result.data;
    for (const p of checkRunbook(rb)) problems.push(locate(parsed, expanded, p.path, p.message));
    if (ids.has(rb.id))
      problems.push(problemAt(parsed, ['id'], `runbook id ${rb.id} is also used by ${ids.get(rb.id)}`));
    ids.set(rb.id, name);
    rb.healthSets.forEach((hs, hi) => {
      const owner = healthSetOwner.get(hs.name.toLowerCase());
      if (owner)
        problems.push(problemAt(parsed, ['healthSets', hi, 'name'], `${hs.name} is already covered by ${owner}`));
      healthSetOwner.set(hs.name.toLowerCase(), name);
      hs.aliases.forEach((alias, ai) => {
        if (alias !== alias.toLowerCase())
          problems.push(problemAt(parsed, ['healthSets', hi, 'aliases', ai], 'aliases are lower case'));
        const other = aliasOwner.get(alias.toLowerCase());
        if (other && other !== hs.name)
          problems.push(
            problemAt(parsed, ['healthSets', hi, 'aliases', ai], `alias "${alias}" already means ${other}`),
          );
        aliasOwner.set(alias.toLowerCase(), hs.name);
      });
    });
    if (locales) {
      for (const { key, path } of keysOf(rb))
        for (const lng of SUPPORTED_LOCALES)
          if (!hasKey(locales[lng], key))
            problems.push(locate(parsed, expanded, path, `text ${key} is missing from locales/${lng}/runbooks.json`));
      for (const { path, message } of leftoverPlaceholders(rb, locales))
        problems.push(locate(parsed, expanded, path, message));
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
