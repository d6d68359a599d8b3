/**
 * HEALTHBOT_EXCHANGE=powershell in the composition: the bot builds the PowerShell gateway from
 * the configuration, and a missing pwsh stops the start-up with a sentence, not a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { buildServices } from '../../../src/wiring/services.ts';
import { FAKE_PWSH, contoso, fakeEnv } from '../../fixtures/fake-pwsh/org.ts';
import { scriptsRun } from './helpers.ts';
import { removeDataDir } from '../../support/data-dirs.ts';

const dirs: string[] = [];
const tempDataDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach(removeDataDir));

const root = join(import.meta.dirname, '../../..');
const POWERSHELL = {
  HEALTHBOT_EXCHANGE: 'powershell',
  HEALTHBOT_EXCHANGE_ENDPOINTS: 'SERVER1=http://server1.contoso.com/PowerShell/',
  HEALTHBOT_WEB: '0',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the bot on the PowerShell gateway', () => {
  it('builds its services on pwsh, warms a shell at start and has no lab scenario or personas', async () => {
    const fake = fakeEnv(contoso());
    for (const [k, v] of Object.entries(fake.env)) if (k.startsWith('FAKE_PWSH_')) vi.stubEnv(k, v!);
    const config = loadConfig({
      ...POWERSHELL,
      HEALTHBOT_PWSH: FAKE_PWSH,
      HEALTHBOT_DATA_DIR: tempDataDir('hb-wiring-'),
    });
    const warnings: string[] = [];
    const services = await buildServices(config, { surfaces: () => undefined, warn: (m) => warnings.push(m) });
    try {
      expect(await services.labScenario()).toBeUndefined();
      expect(services.personas).toEqual([]);
      expect((await services.gateway.listServers()).map((s) => s.name)).toEqual(['SERVER1', 'SERVER2', 'MBX1']);
      expect((await services.gateway.health()).ok).toBe(true);
      expect(scriptsRun(fake).slice(0, 2)).toEqual(['connect', 'inventory']);
    } finally {
      await services.close();
    }
    expect(scriptsRun(fake).at(-1)).toBe('disconnect');
  });

  it('refuses to start without pwsh and says what to do', async () => {
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', join(root, 'src/main.ts')],
          {
            cwd: root,
            env: {
              ...process.env,
              ...POWERSHELL,
              HEALTHBOT_PWSH: 'pwsh-not-installed-here',
              HEALTHBOT_DATA_DIR: tempDataDir('hb-main-'),
              PORT: '0',
              LOG_LEVEL: 'silent',
            },
            timeout: 20_000,
          },
          (_err, out, err) => resolve({ stdout: out, stderr: err, code: child.exitCode }),
        );
      },
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      'PowerShell 7 (pwsh) is not installed or not on PATH (looked for "pwsh-not-installed-here")',
    );
    expect(stderr).toContain('set HEALTHBOT_PWSH');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).not.toContain('listening');
  });
});
