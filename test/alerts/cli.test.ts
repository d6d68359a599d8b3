/**
 * `healthbot alert`: --parse-only --json parses every fixture into server, healthSet, monitor and
 * state; without it the alert runs through the whole flow on the lab, like `ask`.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { removeDataDir } from '../support/data-dirs.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) removeDataDir(dir);
  dir = undefined;
});

describe('healthbot alert', () => {
  it.each(readdirSync(FIXTURES))('--parse-only --json reads %s', async (name) => {
    const r = await cli('alert', join(FIXTURES, name), '--parse-only', '--json');
    expect(r.code).toBe(0);
    const alert = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(alert)).toEqual(expect.arrayContaining(['server', 'healthSet', 'monitor', 'state']));
    expect(['raised', 'cleared']).toContain(alert.state);
    expect(alert.server).toMatch(/^[A-Z0-9]+$/);
  });

  it('refuses what it cannot read, and a file it cannot open', async () => {
    dir = mkdtempSync(join(tmpdir(), 'healthbot-alert-cli-'));
    const missing = await cli('alert', join(dir, 'nope.json'), '--parse-only');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read .*nope.json: ENOENT/);
    expect((await cli('alert')).code).toBe(2);
  });

  it('runs the whole flow on the lab without --parse-only: the alert card, then the diagnosis', async () => {
    dir = mkdtempSync(join(tmpdir(), 'healthbot-alert-cli-'));
    const r = await cli(
      'alert',
      join(FIXTURES, 'alertmanager-v4-firing.json'),
      '--data',
      dir,
      '--scenario',
      'imap-backend-hang',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as {
      alerts: unknown[];
      report: Record<string, number>;
      status: string;
      healthSet: string;
      messages: { card: { title: string } }[];
    };
    expect(out.report).toMatchObject({ opened: 1 });
    expect(out).toMatchObject({ status: 'confirmed', healthSet: 'IMAP' });
    expect(out.messages.map((m) => m.card.title)).toEqual([
      'Alert: IMAP unhealthy on SERVER1',
      expect.stringMatching(/IMAP on SERVER1: problem confirmed/),
    ]);
    // The same delivery again (a sender retrying) changes nothing.
    const again = await cli('alert', join(FIXTURES, 'alertmanager-v4-firing.json'), '--data', dir, '--json');
    expect((JSON.parse(again.out) as { report: Record<string, number> }).report).toMatchObject({ processed: 0 });
  }, 60_000);
});
