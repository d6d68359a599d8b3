/**
 * Builds what both fronts need from the configuration: runbooks, translator, store, gateway,
 * policy and the engine. `src/main.ts` (the bot) and `src/cli.ts` (rehearsal) share it, so the
 * CLI exercises exactly the wiring production uses.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ChatSurface, ConversationRef, EngineObserver, ExchangeGateway, Store, Translator } from '../core/index.ts';
import { systemClock } from '../core/index.ts';
import type { Clock } from '../core/index.ts';
import { ConfigError, LOCKED_POLICY } from '../core/index.ts';
import type { Policy } from '../core/index.ts';
import type { Catalogue, Engine } from '../core/engine/index.ts';
import { createCatalogue, createEngine } from '../core/engine/index.ts';
import type { Config } from '../config.ts';
import { createTranslator } from '../i18n/index.ts';
import { createLabGateway } from '../exchange/lab/index.ts';
import type { LabGateway } from '../exchange/lab/index.ts';
import type { Persona } from '../policy/load.ts';
import { loadPolicyFile } from '../policy/load.ts';
import { loadRunbooks } from '../runbooks/index.ts';
import { openStore } from '../store/index.ts';
import type { LockHolder } from '../store/index.ts';
import { LAB_POLICY_FILE, LOCALES_DIR, RUNBOOKS_DIR, SCENARIOS_DIR } from './paths.ts';

/** A queue of rehearsal commands: twenty fired at once take about a minute to get through one by one. */
export const CLI_LOCK_WAIT_MS = 600_000;

export interface Services {
  readonly config: Config;
  readonly clock: Clock;
  readonly store: Store;
  readonly gateway: ExchangeGateway;
  readonly catalogue: Catalogue;
  readonly translator: Translator;
  readonly policy: Policy;
  /** The lab's current fault scenario (the lab is the only gateway in this build). */
  labScenario(): Promise<string>;
  /** Lab personas (web chat, CLI `--as`); empty against real Exchange. */
  readonly personas: readonly Persona[];
  readonly engine: Engine;
  close(): Promise<void>;
}

export interface ServiceOptions {
  readonly surfaces: (conversation: ConversationRef) => ChatSurface | undefined;
  readonly observer?: EngineObserver;
  readonly clock?: Clock;
  readonly warn?: (message: string) => void;
  /**
   * A CLI command queues behind other CLI commands on the embedded database, as rehearsal scripts
   * expect; the bot (the default) gives up at once when another bot holds it.
   */
  readonly holder?: LockHolder;
}

async function makeGateway(config: Config, catalogue: Catalogue, clock: Clock): Promise<LabGateway> {
  const ex = config.exchange;
  if (ex.kind === 'lab') {
    return createLabGateway({
      runbooks: catalogue.runbooks,
      scenariosDir: SCENARIOS_DIR,
      clock,
      latency: ex.latency,
      stateFile: join(config.dataDir, 'lab-state.json'),
      ...(ex.scenario ? { scenario: ex.scenario } : {}),
    });
  }
  // The PowerShell gateway is issue 7; until it exists, say so instead of pretending.
  throw new ConfigError([
    `HEALTHBOT_EXCHANGE=powershell: the PowerShell gateway is not part of this build yet (endpoints ${ex.endpoints.map((e) => e.server).join(', ')}); use the lab`,
  ]);
}

export async function buildServices(config: Config, options: ServiceOptions): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const { runbooks, known } = await loadRunbooks(RUNBOOKS_DIR, { localesDir: LOCALES_DIR });
  const catalogue = createCatalogue(runbooks, known);
  const translator = createTranslator(LOCALES_DIR);
  const defaults = { expiryMinutes: config.approvalExpiryMinutes };
  const policyFile = config.policyFile ?? (config.exchange.kind === 'lab' ? LAB_POLICY_FILE : undefined);
  const loaded = policyFile ? await loadPolicyFile(policyFile, defaults) : undefined;
  if (!loaded) options.warn?.('No HEALTHBOT_POLICY_FILE: questions work, but nobody may request or approve state-changing steps.');
  const policy = loaded?.policy ?? { ...LOCKED_POLICY, expiryMinutes: defaults.expiryMinutes };
  // Personas allow impersonation, so they exist only in the lab.
  const personas = config.exchange.kind === 'lab' ? (loaded?.personas ?? []) : [];
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    ...(options.holder === 'cli' ? { holder: 'cli' as const, lockTimeoutMs: CLI_LOCK_WAIT_MS } : { holder: 'bot' as const }),
  });
  let gateway: LabGateway;
  try {
    gateway = await makeGateway(config, catalogue, clock);
  } catch (err) {
    await store.close();
    throw err;
  }
  const engine = createEngine({
    gateway,
    store,
    catalogue,
    translator,
    clock,
    newId: randomUUID,
    surfaces: options.surfaces,
    policy,
    timeZone: config.timeZone,
    ...(options.observer ? { observer: options.observer } : {}),
  });
  return {
    config,
    clock,
    store,
    gateway,
    catalogue,
    translator,
    policy,
    personas,
    engine,
    labScenario: () => gateway.scenario(),
    async close() {
      await gateway.close();
      await store.close();
    },
  };
}
