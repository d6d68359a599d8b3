import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/index.ts';
import { lintRunbooks, loadRunbooks } from '../../src/runbooks/index.ts';
import { runCli } from '../../src/cli.ts';

const root = join(import.meta.dirname, '../..');
const localesDir = join(root, 'locales');

/** A copy of the shipped runbooks with one file edited. */
function withEdit(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-runbooks-'));
  cpSync(join(root, 'runbooks'), dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

describe('runbooks', () => {
  it('the shipped runbooks load and lint clean', async () => {
    expect(await lintRunbooks(join(root, 'runbooks'), { localesDir })).toEqual([]);
    const { runbooks, known } = await loadRunbooks(join(root, 'runbooks'), { localesDir });
    expect(runbooks.map((r) => r.id).sort()).toEqual(
      [
        'activesync',
        'autodiscover',
        'dataprotection',
        'ecp',
        'ecp-proxy',
        'ews',
        'fips',
        'hubtransport',
        'imap',
        'mailboxtransport',
        'mrs',
        'oab-proxy',
        'outlook-proxy',
        'owa',
        'pop',
        'rps-proxy',
        'sitemailbox',
        'um',
      ].sort(),
    );
    expect(known).toHaveLength(66);
  });

  it('cover every monitor the issue names, each probe rerun as <HealthSet>\\<Probe>', async () => {
    const { runbooks } = await loadRunbooks(join(root, 'runbooks'), { localesDir });
    const monitors = runbooks.flatMap((r) => r.monitors.map((m) => `${m.healthSet}\\${m.name}`));
    expect(monitors).toEqual(
      expect.arrayContaining([
        'ECP.Proxy\\ECPProxyTestMonitor',
        'ECP\\EacDeepTestMonitor',
        'ECP\\EacSelfTestMonitor',
        'IMAP.Protocol\\ImapDeepTestMonitor',
        'IMAP.Protocol\\ImapSelfTestMonitor',
        'IMAP.Proxy\\ImapProxyTestMonitor',
        'IMAP\\AverageCommandProcessingTimeGt60sMonitor',
        'IMAP\\ImapCTPMonitor',
        'IMAP\\RequestsQueuedGt500Monitor',
      ]),
    );
    for (const rb of runbooks)
      for (const m of rb.monitors) {
        // Transport probes have no "Probe" suffix (MailboxDeliveryAvailability); none is a monitor name.
        if (m.probe) expect(rb.probes.find((p) => p.name === m.probe)?.name).not.toMatch(/Monitor$/);
        expect(m.ladder.at(-1)?.kind).toBe('escalate');
      }
    const ctp = runbooks.find((r) => r.id === 'imap')!.monitors.find((m) => m.name === 'ImapCTPMonitor')!;
    expect(ctp.ladder[0]).toMatchObject({
      kind: 'action',
      operation: 'restart-service',
      target: 'backend',
      params: { service: 'MSExchangeIMAP4BE' },
    });
    expect(new Set(ctp.ladder.map((s) => s.kind))).toEqual(new Set(['action', 'probe', 'check', 'escalate']));
  });

  it('reports an unknown key with its file, path and line', async () => {
    const dir = withEdit('imap.yaml', (t) =>
      t.replace(
        '      - id: rerun-1\n        kind: probe\n',
        '      - id: rerun-1\n        kind: probe\n        colour: red\n',
      ),
    );
    const problems = await lintRunbooks(dir, { localesDir });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: join(dir, 'imap.yaml'), path: 'monitors[0].ladder[1]' });
    expect(problems[0]!.message).toMatch(/colour/);
    const line =
      readFileSync(join(dir, 'imap.yaml'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('id: rerun-1')) + 1;
    expect(problems[0]!.line).toBe(line);
  });

  it('catches the articles’ mistakes and wrong step shapes, all at once', async () => {
    const dir = withEdit('ecp-proxy.yaml', (t) =>
      t
        .replace('  - name: ECPProxyTestProbe\n', '  - name: ECPProxyTestMonitor\n')
        .replace('    probe: ECPProxyTestProbe\n', '    probe: ECPProxyTestMonitor\n')
        .replace(
          '        operation: iis-reset\n        target: server\n        impactNote: ecp.impact.iisReset',
          '        operation: iis-reset\n        target: backend\n        impactNote: ecp.impact.nothere',
        )
        .replace(
          '        kind: check\n        operation: get-app-pool',
          '        kind: check\n        operation: recycle-app-pool',
        ),
    );
    const messages = (await lintRunbooks(dir, { localesDir })).map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^probes\[0\]\.name: .*monitor name/),
        expect.stringMatching(/ladder\[4\]\.operation: recycle-app-pool changes state/),
        expect.stringMatching(/ladder\[7\]\.target: target backend needs a probe with a backend marker/),
        expect.stringMatching(/ladder\[7\]\.impactNote: text ecp\.impact\.nothere is missing from locales\/en/),
        expect.stringMatching(/ladder\[7\]\.impactNote: text ecp\.impact\.nothere is missing from locales\/de/),
      ]),
    );
    await expect(loadRunbooks(dir, { localesDir })).rejects.toBeInstanceOf(ConfigError);
  });

  it('rejects a service that is not on the allow-list and a missing parameter', async () => {
    const dir = withEdit('imap.yaml', (t) =>
      t
        .replace(
          'params: { service: MSExchangeIMAP4BE }\n        impactNote: imap.impact.backendRestart\n        note: imap.note.backendFirst',
          'params: { service: "Spooler" }\n        impactNote: imap.impact.backendRestart\n        note: imap.note.backendFirst',
        )
        .replace('params: { protocol: imap, enabled: true }', 'params: { protocol: imap }'),
    );
    const messages = (await lintRunbooks(dir, { localesDir })).map((p) => `${p.path}: ${p.message}`);
    expect(messages.some((m) => m.startsWith('monitors[0].ladder[0].params.service'))).toBe(true);
    const again = withEdit('imap.yaml', (t) =>
      t.replace('params: { protocol: imap, enabled: true }', 'params: { protocol: imap }'),
    );
    expect((await lintRunbooks(again, { localesDir })).map((p) => p.message)).toContain(
      'set-protocol-logging needs params.enabled',
    );
  });

  it('checks that a compensating step undoes an earlier action of its own ladder, once', async () => {
    const { runbooks } = await loadRunbooks(join(root, 'runbooks'), { localesDir });
    const ctp = runbooks.find((r) => r.id === 'imap')!.monitors.find((m) => m.name === 'ImapCTPMonitor')!;
    expect(ctp.ladder.find((s) => s.id === 'logging-off')).toMatchObject({ undoes: 'logging-on' });
    expect(ctp.ladder.find((s) => s.id === 'allow-activation')).toMatchObject({ undoes: 'move-databases' });
    const later = withEdit('imap.yaml', (t) => t.replace('undoes: logging-on', 'undoes: escalate'));
    expect((await lintRunbooks(later, { localesDir })).map((p) => p.message)).toContain(
      'undoes escalate: no earlier step with that id in this ladder',
    );
    const readOnly = withEdit('imap.yaml', (t) => t.replace('undoes: logging-on', 'undoes: rerun-1'));
    expect((await lintRunbooks(readOnly, { localesDir })).map((p) => p.message)).toContain(
      'undoes rerun-1: only an action step changes something to put back',
    );
    const twice = withEdit('imap.yaml', (t) => t.replace('undoes: logging-on', 'undoes: move-databases'));
    expect((await lintRunbooks(twice, { localesDir })).map((p) => p.message)).toContain(
      'move-databases already has a compensating step',
    );
  });

  it('`healthbot runbooks lint` exits non-zero and prints file:line', async () => {
    const dir = withEdit('imap.yaml', (t) => t.replace('minutes: 10', 'minutes: ten'));
    const lines: string[] = [];
    const code = await runCli(['runbooks', 'lint', dir], { out: (s) => lines.push(s), err: (s) => lines.push(s) });
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/imap\.yaml:\d+: monitors\[4\]\.ladder\[2\]\.minutes: /);
    expect(await runCli(['runbooks', 'lint'], { out: () => {}, err: () => {} })).toBe(0);
  });
});
