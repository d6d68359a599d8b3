/**
 * `healthbot lab reset [scenario]`: the lab mended by a demo is broken again, in the same state
 * file the bot reads; an unknown scenario and a bot on real Exchange are refused in words.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { systemClock } from '../../src/core/index.ts';
import { createLabGateway } from '../../src/exchange/lab/index.ts';
import { loadRunbooks } from '../../src/runbooks/index.ts';
import { LOCALES_DIR, RUNBOOKS_DIR, SCENARIOS_DIR, labStateFile } from '../../src/wiring/paths.ts';
import { removeDataDir } from '../support/data-dirs.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDataDir));
afterEach(() => vi.unstubAllEnvs());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

async function imapOnMbx1(data: string): Promise<string> {
  const { runbooks } = await loadRunbooks(RUNBOOKS_DIR, { localesDir: LOCALES_DIR });
  const lab = await createLabGateway({
    runbooks,
    scenariosDir: SCENARIOS_DIR,
    clock: systemClock,
    stateFile: labStateFile(data),
  });
  const health = await lab.run({ kind: 'get-server-health', server: 'MBX1', healthSets: ['IMAP.Protocol'] });
  await lab.close();
  return health.find((m) => m.monitor === 'ImapDeepTestMonitor')!.alertValue;
}

describe('healthbot lab reset', () => {
  it(
    'breaks the mended lab again, keeps the scenario it is in, and switches to a named one',
    { timeout: 60_000 },
    async () => {
      vi.stubEnv('HEALTHBOT_EXCHANGE', 'lab');
      vi.stubEnv('HEALTHBOT_LAB_SCENARIO', '');
      const data = mkdtempSync(join(tmpdir(), 'hb-lab-reset-'));
      dirs.push(data);
      const { runbooks } = await loadRunbooks(RUNBOOKS_DIR, { localesDir: LOCALES_DIR });
      // The demo: the lab starts the scenario and the approved restart mends it.
      const lab = await createLabGateway({
        runbooks,
        scenariosDir: SCENARIOS_DIR,
        clock: systemClock,
        stateFile: labStateFile(data),
        scenario: 'imap-backend-hang',
      });
      await lab.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
      await lab.close();
      expect(await imapOnMbx1(data)).toBe('Healthy');

      const again = capture();
      expect(await runCli(['lab', 'reset', '--data', data], again.io)).toBe(0);
      expect(again.out.join('')).toMatch(/back at the start of imap-backend-hang: IMAP4 back end hangs on MBX1/);
      expect(await imapOnMbx1(data)).toBe('Unhealthy');

      const other = capture();
      expect(await runCli(['lab', 'reset', 'healthy', '--data', data, '--json'], other.io)).toBe(0);
      expect(JSON.parse(other.out.join(''))).toMatchObject({ scenario: 'healthy', before: 'imap-backend-hang' });
      expect(await imapOnMbx1(data)).toBe('Healthy');
    },
  );

  it('refuses an unknown scenario and names the known ones', { timeout: 60_000 }, async () => {
    vi.stubEnv('HEALTHBOT_EXCHANGE', 'lab');
    const data = mkdtempSync(join(tmpdir(), 'hb-lab-reset-'));
    dirs.push(data);
    const c = capture();
    expect(await runCli(['lab', 'reset', 'no-such-scenario', '--data', data], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/unknown lab scenario "no-such-scenario"; known: .*imap-backend-hang/);
  });

  it('refuses clearly when the bot is set up for real Exchange', async () => {
    vi.stubEnv('HEALTHBOT_EXCHANGE', 'powershell');
    vi.stubEnv('HEALTHBOT_EXCHANGE_ENDPOINTS', 'EX1=http://ex1.contoso.com/PowerShell/');
    const data = mkdtempSync(join(tmpdir(), 'hb-lab-reset-'));
    dirs.push(data);
    const c = capture();
    expect(await runCli(['lab', 'reset', '--data', data], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/refused, this bot is set up for a real Exchange organisation/);
  });
});
