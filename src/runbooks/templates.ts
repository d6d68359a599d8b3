/**
 * Ladder templates: one shape of recovery ladder (the HTTP proxy test, the self and deep tests,
 * the mail protocols, verify-and-escalate) written once in `runbooks/templates/*.yaml` and used by
 * many runbook files with their own parameters. YAML anchors cannot cross files, so the loader
 * expands a monitor's `template:` into its ladder before the runbook is validated.
 *
 * A template is checked on its own (unknown keys, steps of the wrong shape, placeholders it does
 * not declare), and again, expanded, as part of every runbook that uses it; a problem found then
 * is reported at the runbook with the template's file and path beside it.
 */
import * as z from 'zod'; // as a namespace, so the bundle keeps only what is used (not zod's 50 locales)
import { stepSchema } from './schema.ts';
import type { Path } from './semantics.ts';

/** `{{name}}`: a parameter of the template, replaced when a runbook uses it. */
const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{([A-Za-z][A-Za-z0-9]*)\}\}$/;

/** Parameters every use gets from its monitor, without writing them: the names in the table. */
export const BUILTIN_PARAMS = ['healthSet', 'monitor', 'probe'] as const;

const paramName = z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be a parameter name like appPool');
const paramValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type ParamValue = z.infer<typeof paramValue>;

export const templateFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case words joined by hyphens'),
  /** The parameters a use must give (unless a default is set here). */
  params: z.array(paramName).default([]),
  defaults: z.record(paramName, paramValue).default({}),
  ladder: z.array(z.record(z.string(), z.unknown())).min(1),
});
export type TemplateFile = z.infer<typeof templateFileSchema>;

/** How a monitor uses a template: which one, its parameters, single steps replaced or left out. */
export const templateUseSchema = z.strictObject({
  use: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  with: z.record(paramName, paramValue).default({}),
  /** Step id → the step to run in its place (same position), or null to leave the step out. */
  override: z.record(z.string(), z.union([z.record(z.string(), z.unknown()), z.null()])).default({}),
});

export interface LoadedTemplate {
  readonly id: string;
  readonly file: string;
  readonly template?: TemplateFile;
  /** Problems of the template itself, with paths inside the template file; non-empty means unusable. */
  readonly problems: readonly { path: Path; message: string }[];
}

/** Where each step of an expanded ladder came from. */
export type StepOrigin =
  { readonly from: 'template'; readonly index: number } | { readonly from: 'override'; readonly id: string };

function placeholdersIn(value: unknown, at: Path, out: { name: string; path: Path }[]): void {
  if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) out.push({ name: m[1]!, path: at });
  else if (Array.isArray(value)) value.forEach((v, i) => placeholdersIn(v, [...at, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) placeholdersIn(v, [...at, k], out);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const p of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[p];
  }
  return node;
}

/**
 * The template's own problems. Its steps are checked with the runbook step schema; a field whose
 * value is still a placeholder is left to the check after expansion (an app pool named
 * `{{appPool}}` is not on the allow-list yet), but unknown keys and wrong shapes are reported here.
 */
export function checkTemplate(
  data: unknown,
  fileName: string,
): { template?: TemplateFile; problems: { path: Path; message: string }[] } {
  const parsed = templateFileSchema.safeParse(data);
  if (!parsed.success)
    return { problems: parsed.error.issues.map((i) => ({ path: i.path as Path, message: i.message })) };
  const t = parsed.data;
  const problems: { path: Path; message: string }[] = [];
  if (`${t.id}.yaml` !== fileName && `${t.id}.yml` !== fileName)
    problems.push({ path: ['id'], message: `id ${t.id} does not match the file name ${fileName}` });
  t.ladder.forEach((step, si) => {
    const result = stepSchema.safeParse(step);
    if (result.success) return;
    for (const issue of result.error.issues) {
      const value = valueAt(step, issue.path);
      const key = issue.path[0];
      const templated = typeof value === 'string' && PLACEHOLDER.test(value) && key !== 'kind' && key !== 'id';
      PLACEHOLDER.lastIndex = 0;
      if (!templated) problems.push({ path: ['ladder', si, ...(issue.path as Path)], message: issue.message });
    }
  });
  const declared = new Set<string>([...t.params, ...BUILTIN_PARAMS]);
  const used: { name: string; path: Path }[] = [];
  placeholdersIn(t.ladder, ['ladder'], used);
  for (const u of used)
    if (!declared.has(u.name))
      problems.push({
        path: u.path,
        message: `{{${u.name}}} is not a parameter of this template (declare it under params)`,
      });
  for (const d of Object.keys(t.defaults))
    if (!t.params.includes(d))
      problems.push({ path: ['defaults', d], message: `${d} has a default but is not under params` });
  const ids = new Set<string>();
  t.ladder.forEach((s, si) => {
    const id = String(s.id);
    if (ids.has(id))
      problems.push({ path: ['ladder', si, 'id'], message: `step id ${id} is used twice in this template` });
    ids.add(id);
  });
  return { template: t, problems };
}

function substitute(value: unknown, params: Readonly<Record<string, ParamValue>>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    // A whole-value placeholder keeps its type: a list of health sets stays a list.
    if (whole) return params[whole[1]!] ?? value;
    return value.replace(PLACEHOLDER, (m, name: string) => {
      const v = params[name];
      return v === undefined ? m : Array.isArray(v) ? v.join(', ') : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, params));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params)]));
  return value;
}

export interface Expansion {
  readonly ladder: Record<string, unknown>[];
  readonly origins: StepOrigin[];
  /** Problems of the use itself, with paths relative to the monitor's `template` key. */
  readonly problems: { path: Path; message: string }[];
}

/** The ladder a monitor's `template:` stands for. */
export function expandTemplate(
  template: TemplateFile,
  use: z.infer<typeof templateUseSchema>,
  monitor: Readonly<Record<string, unknown>>,
): Expansion {
  const problems: { path: Path; message: string }[] = [];
  const builtin: Record<string, ParamValue> = {};
  for (const b of BUILTIN_PARAMS)
    if (typeof monitor[b === 'monitor' ? 'name' : b] === 'string')
      builtin[b] = monitor[b === 'monitor' ? 'name' : b] as string;
  for (const name of Object.keys(use.with))
    if (!template.params.includes(name))
      problems.push({ path: ['with', name], message: `template ${template.id} has no parameter ${name}` });
  const params: Record<string, ParamValue> = { ...builtin, ...template.defaults, ...use.with };
  for (const name of template.params)
    if (params[name] === undefined)
      problems.push({ path: ['with'], message: `template ${template.id} needs the parameter ${name}` });
  const stepIds = template.ladder.map((s) => String(s.id));
  for (const id of Object.keys(use.override))
    if (!stepIds.includes(id))
      problems.push({ path: ['override', id], message: `template ${template.id} has no step ${id} to override` });

  const ladder: Record<string, unknown>[] = [];
  const origins: StepOrigin[] = [];
  template.ladder.forEach((step, index) => {
    const id = String(step.id);
    if (id in use.override) {
      const replacement = use.override[id];
      if (replacement === null || replacement === undefined) return;
      ladder.push({ id, ...replacement });
      origins.push({ from: 'override', id });
      return;
    }
    ladder.push(substitute(step, params) as Record<string, unknown>);
    origins.push({ from: 'template', index });
  });
  return { ladder, origins, problems };
}
