/**
 * `healthbot lab reset [scenario]`: the lab keeps what the recovery steps mended in its state file,
 * so a second demo on the same data folder would find everything healthy. Reset starts the
 * scenario over. It touches only the lab's state file (under its lock), not the database, so it
 * works while the bot runs: the bot reads the fresh organisation on its next operation.
 */
import { ConfigError, systemClock } from '../core/index.ts';
import { loadConfig } from '../config.ts';
import { createLabGateway, loadScenario } from '../exchange/lab/index.ts';
import { loadRunbooks } from '../runbooks/index.ts';
import { LOCALES_DIR, RUNBOOKS_DIR, SCENARIOS_DIR, labStateFile } from '../wiring/paths.ts';
import type { CliArgs } from './args.ts';
import type { CommandResult } from './chat-commands.ts';

export async function labReset(args: CliArgs, named: string | undefined): Promise<CommandResult> {
  let config;
  try {
    config = loadConfig(process.env, args.data ? { dataDir: args.data } : {});
  } catch (err) {
    if (err instanceof ConfigError) return { exitCode: 1, output: err.message };
    throw err;
  }
  if (config.exchange.kind !== 'lab') {
    return {
      exitCode: 1,
      output:
        'lab reset: refused, this bot is set up for a real Exchange organisation (HEALTHBOT_EXCHANGE=powershell); there is no lab to reset',
    };
  }
  const wanted = named ?? args.scenario;
  const file = labStateFile(config.dataDir);
  const { runbooks } = await loadRunbooks(RUNBOOKS_DIR, { localesDir: LOCALES_DIR });
  // Opened without a scenario: the file keeps what it holds until the reset replaces it.
  const lab = await createLabGateway({
    runbooks,
    scenariosDir: SCENARIOS_DIR,
    clock: systemClock,
    latency: 'none',
    stateFile: file,
  });
  try {
    const before = await lab.scenario().catch(() => undefined);
    // No name: the configured scenario (HEALTHBOT_LAB_SCENARIO), else the one the lab is in.
    const started = await lab.reset(wanted ?? config.exchange.scenario);
    const title = (await loadScenario(SCENARIOS_DIR, started)).title;
    if (args.json)
      return {
        exitCode: 0,
        output: JSON.stringify({ scenario: started, title, before: before ?? null, stateFile: file }),
      };
    const was = before && before !== started ? ` (it was in ${before})` : '';
    return {
      exitCode: 0,
      output: `lab reset: the lab is back at the start of ${started}: ${title}${was}\nstate: ${file}`,
    };
  } catch (err) {
    if (err instanceof ConfigError) return { exitCode: 1, output: `lab reset: ${err.problems.join('; ')}` };
    throw err;
  } finally {
    await lab.close();
  }
}
