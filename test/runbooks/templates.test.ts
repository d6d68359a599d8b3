import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintRunbooks, loadRunbooks } from '../../src/runbooks/index.ts';
import type { Runbook } from '../../src/core/index.ts';

const root = join(import.meta.dirname, '../..');
const localesDir = join(root, 'locales');

/** A copy of the shipped runbooks with some files edited (paths relative to runbooks/). */
function withEdits(edits: Record<string, (text: string) => string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-templates-'));
  cpSync(join(root, 'runbooks'), dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits))
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

function monitor(runbooks: readonly Runbook[], id: string, name: string) {
  const m = runbooks.find((r) => r.id === id)?.monitors.find((x) => x.name === name);
  if (!m) throw new Error(`no ${id} ${name}`);
  return m;
}

const lineOf = (file: string, needle: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle)) + 1;

describe('ladder templates', () => {
  it('expand with each runbook’s parameters and record which template a ladder came from', async () => {
    const { runbooks } = await loadRunbooks(join(root, 'runbooks'), { localesDir });
    const owa = monitor(runbooks, 'owa', 'OWAProxyTestMonitor');
    const oab = monitor(runbooks, 'oab-proxy', 'OABProxyTestMonitor');
    expect(owa.template).toBe('http-proxy');
    expect(oab.template).toBe('http-proxy');
    // Same shape, own parameters: the pool, the log folder and the logon URL differ.
    expect(owa.ladder.map((s) => s.id)).toEqual(oab.ladder.map((s) => s.id));
    expect(owa.ladder.find((s) => s.id === 'recycle-pool')).toMatchObject({
      kind: 'action',
      operation: 'recycle-app-pool',
      params: { appPool: 'MSExchangeOWAAppPool' },
    });
    expect(oab.ladder.find((s) => s.id === 'recycle-pool')).toMatchObject({
      params: { appPool: 'MSExchangeOABAppPool' },
    });
    expect(owa.ladder.find((s) => s.id === 'read-proxy-logs')).toMatchObject({
      paths: ['%ExchangeInstallPath%Logging\\HttpProxy\\Owa'],
    });
    expect(oab.ladder.find((s) => s.id === 'test-logon')).toMatchObject({ paths: ['https://<server>/OAB'] });
    // Recycle, then IISReset, then the restart, each followed by a rerun of the probe.
    const order = owa.ladder.map((s) => s.id);
    expect(order.indexOf('recycle-pool')).toBeLessThan(order.indexOf('iis-reset'));
    expect(order.indexOf('iis-reset')).toBeLessThan(order.indexOf('restart-server'));
    // A whole-value placeholder keeps its type: the related health sets stay a list.
    expect(monitor(runbooks, 'owa', 'OwaCtpMonitor').ladder.find((s) => s.id === 'related-health')).toMatchObject({
      params: { healthSets: ['OWA.Protocol', 'OWA.Proxy'] },
    });
    // A ladder written out in full has no template.
    expect(monitor(runbooks, 'imap', 'ImapCTPMonitor').template).toBeUndefined();
  });

  it('let a runbook replace a single step, or leave one out', async () => {
    const { runbooks } = await loadRunbooks(join(root, 'runbooks'), { localesDir });
    const ctp = monitor(runbooks, 'activesync', 'ActiveSyncCTPMonitor');
    expect(ctp.ladder.find((s) => s.id === 'related-health')).toMatchObject({
      kind: 'check',
      target: 'backend',
      params: { healthSets: ['ActiveSync.Protocol'] },
    });
    const owaCtp = monitor(runbooks, 'owa', 'OwaCtpMonitor');
    expect(owaCtp.ladder.find((s) => s.id === 'related-health')).toMatchObject({ target: 'server' });
    const self = monitor(runbooks, 'autodiscover', 'AutodiscoverSelfTestMonitor');
    expect(self.ladder.some((s) => s.id === 'monitoring-mailboxes')).toBe(false);
    expect(monitor(runbooks, 'owa', 'OwaSelfTestMonitor').ladder.some((s) => s.id === 'monitoring-mailboxes')).toBe(
      true,
    );
  });

  it('report a broken template at the template and at every runbook that uses it, with both paths', async () => {
    const dir = withEdits({
      'templates/http-load.yaml': (t) =>
        t.replace('  - id: wait-1\n    kind: wait\n', '  - id: wait-1\n    kind: wait\n    colour: red\n'),
    });
    const problems = await lintRunbooks(dir, { localesDir });
    const templateFile = join(dir, 'templates/http-load.yaml');
    const line = lineOf(templateFile, 'id: wait-1');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: templateFile,
          path: 'ladder[2]',
          line,
          message: expect.stringMatching(/colour/),
        }),
        expect.objectContaining({
          file: join(dir, 'activesync.yaml'),
          path: 'monitors[4].template.use',
          line: lineOf(join(dir, 'activesync.yaml'), 'use: http-load'),
          message: expect.stringMatching(/template http-load cannot be used: ladder\[2\]: .*colour/),
          template: { file: templateFile, path: 'ladder[2]', line },
        }),
      ]),
    );
    // The runbook that uses it is not loaded half-expanded.
    await expect(loadRunbooks(dir, { localesDir })).rejects.toThrow(
      /activesync\.yaml:\d+ monitors\[4\]\.template\.use/,
    );
  });

  it('report a value that fails only once expanded at the runbook, naming the template’s file and line', async () => {
    const dir = withEdits({
      'oab-proxy.yaml': (t) => t.replace('appPool: MSExchangeOABAppPool', 'appPool: DefaultAppPool'),
    });
    const problems = await lintRunbooks(dir, { localesDir });
    const templateFile = join(dir, 'templates/http-proxy.yaml');
    expect(problems.length).toBeGreaterThanOrEqual(2);
    for (const p of problems) {
      expect(p).toMatchObject({
        file: join(dir, 'oab-proxy.yaml'),
        path: 'monitors[0].template.use',
        message: expect.stringMatching(
          /allow-list \(in template http-proxy, .*http-proxy\.yaml:\d+ ladder\[\d\]\.params\.appPool\)/,
        ),
      });
      expect(p.template?.file).toBe(templateFile);
    }
    expect(problems.map((p) => p.template?.line)).toEqual(
      expect.arrayContaining([lineOf(templateFile, 'id: app-pool-state') + 4]),
    );
  });

  it('report missing and unknown parameters, unknown steps to override, and undeclared placeholders', async () => {
    const dir = withEdits({
      'rps-proxy.yaml': (t) =>
        t.replace(
          "with: { appPool: MSExchangePowerShellFrontEndAppPool, logFolder: PowerShell, logonUrl: 'https://<server>/powershell' }",
          'with: { appPool: MSExchangePowerShellFrontEndAppPool, logFolder: PowerShell, colour: red }\n      override: { no-such-step: null }',
        ),
      'templates/verify-escalate.yaml': (t) => t.replace("text: '{{reviewText}}'", "text: '{{reviewTxt}}'"),
    });
    const messages = (await lintRunbooks(dir, { localesDir })).map(
      (p) => `${p.file.slice(dir.length + 1)} ${p.path}: ${p.message}`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        'rps-proxy.yaml monitors[0].template.with.colour: template http-proxy has no parameter colour',
        'rps-proxy.yaml monitors[0].template.with: template http-proxy needs the parameter logonUrl',
        'rps-proxy.yaml monitors[0].template.override.no-such-step: template http-proxy has no step no-such-step to override',
        'templates/verify-escalate.yaml ladder[2].text: {{reviewTxt}} is not a parameter of this template (declare it under params)',
      ]),
    );
  });

  it('reject an unknown template and a monitor with both a ladder and a template', async () => {
    const dir = withEdits({
      'oab-proxy.yaml': (t) => t.replace('use: http-proxy', 'use: http-proxi'),
      'rps-proxy.yaml': (t) =>
        t.replace('    template:\n', '    ladder: [{ id: escalate, kind: escalate }]\n    template:\n'),
    });
    const messages = (await lintRunbooks(dir, { localesDir })).map(
      (p) => `${p.file.slice(dir.length + 1)} ${p.path}: ${p.message}`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^oab-proxy\.yaml monitors\[0\]\.template\.use: no template http-proxi in templates\/ \(known: .*http-proxy/,
        ),
        'rps-proxy.yaml monitors[0].template: a monitor has either a ladder or a template, not both',
      ]),
    );
  });
});
