/** `healthbot teams manifest`: the package an administrator uploads, and what it needs to be told. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('healthbot teams manifest', () => {
  it('writes a zip with the manifest and both icons', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hb-teams-')), 'healthbot.zip');
    const c = capture();
    const code = await runCli(
      [
        'teams',
        'manifest',
        '--app-id',
        '5b07a1c2-3d4e-4f50-8a61-b72c83d94e05',
        '--domain',
        'healthbot.contoso.com',
        '--out',
        file,
        '--json',
      ],
      c.io,
    );
    expect(code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
    for (const name of ['manifest.json', 'color.png', 'outline.png']) expect(listing).toContain(name);
    const { manifest } = JSON.parse(c.out.join('')) as {
      manifest: { id: string; bots: { botId: string; scopes: string[] }[]; validDomains: string[] };
    };
    expect(manifest.bots[0]).toMatchObject({
      botId: '5b07a1c2-3d4e-4f50-8a61-b72c83d94e05',
      scopes: expect.arrayContaining(['personal', 'team', 'groupChat']),
    });
    expect(manifest.validDomains).toContain('healthbot.contoso.com');
  });

  it('says everything that is missing at once, and refuses an id that is not a GUID', async () => {
    const c = capture();
    expect(await runCli(['teams', 'manifest'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/--app-id[\s\S]*--domain/);
    const bad = capture();
    expect(
      await runCli(
        [
          'teams',
          'manifest',
          '--app-id',
          'not-a-guid',
          '--domain',
          'healthbot.contoso.com',
          '--out',
          join(tmpdir(), 'x.zip'),
        ],
        bad.io,
      ),
    ).toBe(1);
    expect(bad.err.join('')).toMatch(/teams manifest: /);
  });
});
