/**
 * A runbook text shown on a card must not keep a `{{placeholder}}` after rendering: a person
 * would read "Sign in on {{server}}". For each ladder text the engine renders, this knows which
 * variables it fills, and reports any other placeholder in any language.
 */
import { SUPPORTED_LOCALES } from '../core/index.ts';
import type { RunbookFile } from './schema.ts';
import type { Path } from './semantics.ts';

/**
 * What the engine passes when it renders these texts (core/engine/labels.ts and present.ts):
 * manual step labels and step notes get the ladder's server.
 */
export const FILLED_VARIABLES = { manual: ['server'], note: ['server'] } as const;

function textAt(resources: Record<string, unknown> | undefined, key: string): string | undefined {
  let node: unknown = resources;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function leftoverPlaceholders(
  rb: RunbookFile,
  locales: Readonly<Record<string, Record<string, unknown> | undefined>>,
): { path: Path; message: string }[] {
  const texts: { key: string; path: Path; fills: readonly string[] }[] = [];
  rb.monitors.forEach((m, mi) =>
    m.ladder.forEach((s, si) => {
      const at: Path = ['monitors', mi, 'ladder', si];
      if (s.kind === 'manual') texts.push({ key: s.text, path: [...at, 'text'], fills: FILLED_VARIABLES.manual });
      if (s.note) texts.push({ key: s.note, path: [...at, 'note'], fills: FILLED_VARIABLES.note });
    }),
  );
  const problems: { path: Path; message: string }[] = [];
  for (const { key, path, fills } of texts) {
    for (const lng of SUPPORTED_LOCALES) {
      const text = textAt(locales[lng], key);
      if (text === undefined) continue; // reported as missing elsewhere
      const left = [...text.matchAll(/\{\{-?\s*([\w.]+)\s*\}\}/g)]
        .map((m) => m[1]!)
        .filter((name) => !fills.includes(name));
      for (const name of new Set(left))
        problems.push({
          path,
          message: `text ${key} in locales/${lng}/runbooks.json keeps {{${name}}} on the card: only ${fills.map((f) => `{{${f}}}`).join(', ')} is filled there`,
        });
    }
  }
  return problems;
}
