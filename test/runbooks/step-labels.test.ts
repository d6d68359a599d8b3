/**
 * Every runbook step's label and note, rendered in every language the way the engine renders
 * them, keeps no `{{placeholder}}` (the ECP manual steps once showed "{{server}}"); and the lint
 * refuses a text whose placeholder the engine would not fill.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../src/core/index.ts';
import { stepLabel } from '../../src/core/engine/labels.ts';
import { createTranslator } from '../../src/i18n/index.ts';
import { lintRunbooks, loadRunbooks } from '../../src/runbooks/index.ts';

const root = resolve(import.meta.dirname, '../..');

describe('runbook step labels', () => {
  it('render without a leftover placeholder in every locale', async () => {
    const { runbooks } = await loadRunbooks(join(root, 'runbooks'), { localesDir: join(root, 'locales') });
    const translator = createTranslator(join(root, 'locales'));
    let rendered = 0;
    for (const lng of SUPPORTED_LOCALES) {
      const t = translator.for(lng);
      for (const rb of runbooks)
        for (const monitor of rb.monitors)
          for (const step of monitor.ladder) {
            const texts = [
              stepLabel(t, step, undefined, 'SERVER1'),
              ...(step.note ? [t(`runbooks:${step.note}`, { server: 'SERVER1' })] : []),
            ];
            for (const text of texts) expect(text, `${lng} ${rb.id} ${step.id}`).not.toMatch(/\{\{|\}\}/);
            rendered += texts.length;
          }
    }
    expect(rendered).toBeGreaterThan(20);
    expect(
      stepLabel(
        translator.for('en'),
        { id: 'x', kind: 'manual', text: 'ecp.manual.testLogon' } as never,
        undefined,
        'MBX7',
      ),
    ).toMatch(/MBX7/);
  });

  it('lint fails on a step text whose placeholder is not filled on the card', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-labels-'));
    cpSync(join(root, 'runbooks'), join(dir, 'runbooks'), { recursive: true });
    cpSync(join(root, 'locales'), join(dir, 'locales'), { recursive: true });
    const file = join(dir, 'locales', 'de', 'runbooks.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/("testLogon": "[^"]*)\{\{server\}\}/, '$1{{host}}'));
    const problems = await lintRunbooks(join(dir, 'runbooks'), { localesDir: join(dir, 'locales') });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/ecp\.manual\.testLogon in locales\/de\/runbooks\.json keeps \{\{host\}\}/),
    ]);
  });
});
