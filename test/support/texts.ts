/** An adapter's text tables from locales/, as the composition root passes them. */
import { join } from 'node:path';
import type { TextTables } from '../../src/core/index.ts';
import { readLocaleFiles } from '../../src/i18n/index.ts';

const locales = readLocaleFiles(join(import.meta.dirname, '../../locales'));

export function adapterTexts(namespace: string): TextTables {
  return Object.fromEntries(
    Object.entries(locales).map(([lng, files]) => [lng, (files[namespace] ?? {}) as Record<string, string>]),
  );
}
