/**
 * Builds what both fronts need from the configuration: runbooks, translator, store, gateway,
 * policy and the engine. `src/main.ts` (the bot) and `src/cli.ts` (rehearsal) share it, so the
 * CLI exercises exactly the wiring production uses.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type {
  ChatSurface,
  ConversationRef,
  EngineObserver,
  ExchangeGateway,
  Store,
  Translator,
} from '../core/index.ts';
import { systemClock } from '../core/index.ts';
import type { Clock } from '../core/index.ts';
import { ConfigError, GatewayError, LOCKED_POLICY } from '../core/index.ts';
import type { Policy } from '../core/index.ts';
import type { Anchor, Catalogue, Engine } from '../core/engine/index.ts';
import { createCatalogue, createDiscovery, createEngine, DEFAULT_REBOOT_WATCH } from '../core/engine/index.ts';
import type { Config } from '../config.ts';
import { createParserFrom, createTranslator } from '../i18n/index.ts';
import type { QuestionParser } from '../core/intent/index.ts';
import { createLabGateway } from '../exchange/lab/index.ts';
import type { LabGateway } from '../exchange/lab/index.ts';
import type { Persona, PolicyFile } from '../policy/load.ts';
import type { ExpiryChoice } from '../policy/expiry.ts';
import { chooseExpiry } from '../policy/expiry.ts';
import { loadPolicyFile } from '../policy/load.ts';
import { loadRunbooksCached } from './runbooks-cache.ts';
import { appendAnchor, loadAuditKey, openStore } from '../store/index.ts';
import type { LoadedAuditKey, LockHolder } from '../store/index.ts';
import { LAB_POLICY_FILE, LOCALES_DIR, RUNBOOKS_DIR, SCENARIOS_DIR, labStateFile } from './paths.ts';
import { withTurnsWhenEmbedded } from './turn-taking-store.ts';
import { seedFiles } from './warm-caches.ts';

/** A queue of rehearsal commands: twenty fired at once take about a minute to get through one by one. */
export const CLI_LOCK_WAIT_MS = 600_000;

export interface Services {
  readonly config: Config;
  readonly clock: Clock;
  readonly store: Store;
  readonly gateway: ExchangeGateway;
  readonly catalogue: Catalogue;
  readonly translator: Translator;
  readonly parser: QuestionParser;
  readonly policy: Policy;
  /** The lab's current fault scenario; undefined against real Exchange. */
  labScenario(): Promise<string | undefined>;
  /** Lab only: starts a scenario over (see LabGateway.reset); absent against real Exchange. */
  readonly resetLab?: (scenario: string) => Promise<string>;
  /** Lab personas (web chat, CLI `--as`); empty against real Exchange. */
  readonly personas: readonly Persona[];
  readonly engine: Engine;
  /** The audit key in use and where it came from (never the secret itself in logs). */
  readonly audit: LoadedAuditKey;
  close(): Promise<void>;
}

export interface ServiceOptions {
  readonly surfaces: (conversation: ConversationRef) => ChatSurface | undefined;
  readonly observer?: EngineObserver;
  readonly clock?: Clock;
  readonly warn?: (message: string) => void;
  /** Structured log lines from infrastructure (the PowerShell gateway's shells and sessions). */
  readonly log?: (
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
  /**
   * A CLI command queues behind other CLI commands on the embedded database, as rehearsal scripts
   * expect; the bot (the default) gives up at once when another bot holds it.
   */
  readonly holder?: LockHolder;
  /** Each anchor of the audit chain's head as it is written (the bot logs it). */
  readonly anchored?: (anchor: Anchor) => void;
}

/** The gateway, and the lab's scenario where there is one (the bot shows it in the web chat). */
interface MadeGateway {
  readonly gateway: ExchangeGateway;
  readonly scenario: () => Promise<string | undefined>;
  readonly reset?: (scenario: string) => Promise<string>;
}

async function makeGateway(
  config: Config,
  catalogue: Catalogue,
  clock: Clock,
  options: ServiceOptions,
): Promise<MadeGateway> {
  const ex = config.exchange;
  if (ex.kind === 'lab') {
    const lab: LabGateway = await createLabGateway({
      runbooks: catalogue.runbooks,
      scenariosDir: SCENARIOS_DIR,
      clock,
      latency: ex.latency,
      stateFile: labStateFile(config.dataDir),
      ...(ex.scenario ? { scenario: ex.scenario } : {}),
      ...(ex.endpoints ? { endpoints: ex.endpoints } : {}),
    });
    return { gateway: lab, scenario: () => lab.scenario(), reset: (scenario) => lab.reset(scenario) };
  }
  try {
    const { kind: _powershell, ...connection } = ex;
    const { createPowerShellGateway } = await powershell();
    const gateway = await createPowerShellGateway({
      ...connection,
      // Import the session now, so the first question does not wait for it.
      warm: true,
      log:
        options.log ??
        ((level, message) => (level === 'warn' || level === 'error' ? options.warn?.(message) : undefined)),
    });
    return { gateway, scenario: async () => undefined };
  } catch (err) {
    return pwshProblem(err);
  }
}

/** node-powershell and the scripts are loaded only against real Exchange, not for every lab or CLI start. */
const powershell = () => import('../exchange/powershell/index.ts');

/** A missing pwsh is a setting to fix, said at start-up like every other configuration problem. */
function pwshProblem(err: unknown): never {
  if (err instanceof GatewayError && err.code === 'not-installed')
    throw new ConfigError([
      `HEALTHBOT_PWSH: ${err.message}; install PowerShell 7 or set HEALTHBOT_PWSH to the path of pwsh`,
    ]);
  throw err;
}

/** The policy file in force: the configured one, or the lab's personas and roles in the lab. */
export function policyFileOf(config: Config): string | undefined {
  return config.policyFile ?? (config.exchange.kind === 'lab' ? LAB_POLICY_FILE : undefined);
}

/** Which approval expiry applies and whether the environment conflicts with the policy file. */
export function expiryOf(config: Config, policyFile: string | undefined, loaded: PolicyFile | undefined): ExpiryChoice {
  return chooseExpiry({
    environment: { minutes: config.approvalExpiryMinutes, explicit: config.approvalExpiryFromEnv },
    ...(policyFile && loaded
      ? {
          policyFile: {
            path: policyFile,
            ...(loaded.expiryMinutes !== undefined ? { minutes: loaded.expiryMinutes } : {}),
          },
        }
      : {}),
  });
}

export async function buildServices(config: Config, options: ServiceOptions): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const { runbooks, known } = await loadRunbooksCached(
    RUNBOOKS_DIR,
    { localesDir: LOCALES_DIR },
    join(config.dataDir, 'cache', 'runbooks.json'),
    seedFiles.runbooks,
  );
  const catalogue = createCatalogue(runbooks, known);
  const translator = createTranslator(LOCALES_DIR);
  const parser = createParserFrom(LOCALES_DIR);
  const defaults = { expiryMinutes: config.approvalExpiryMinutes };
  const policyFile = policyFileOf(config);
  const loaded = policyFile ? await loadPolicyFile(policyFile, defaults) : undefined;
  if (!loaded)
    options.warn?.('No HEALTHBOT_POLICY_FILE: questions work, but nobody may request or approve state-changing steps.');
  const expiry = expiryOf(config, policyFile, loaded);
  if (expiry.conflict) options.warn?.(expiry.conflict);
  const policy = { ...(loaded?.policy ?? LOCKED_POLICY), expiryMinutes: expiry.minutes };
  // Personas allow impersonation, so they exist only in the lab.
  const personas = config.exchange.kind === 'lab' ? (loaded?.personas ?? []) : [];
  // A missing pwsh stops the start-up before the database is opened.
  if (config.exchange.kind === 'powershell')
    await (await powershell()).checkExecutable({ executable: config.exchange.executable }).catch(pwshProblem);
  const audit = await loadAuditKey(config.audit);
  for (const w of audit.warnings) options.warn?.(w);
  // An embedded store's queries run on the event loop: they take turns with requests (issue 20).
  const store = withTurnsWhenEmbedded(
    await openStore({
      auditKey: audit.key,
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      dataDir: config.dataDir,
      ...(options.holder === 'cli'
        ? { holder: 'cli' as const, lockTimeoutMs: CLI_LOCK_WAIT_MS }
        : { holder: 'bot' as const }),
    }),
  );
  let made: MadeGateway;
  try {
    made = await makeGateway(config, catalogue, clock, options);
  } catch (err) {
    await store.close();
    throw err;
  }
  const { gateway } = made;
  const engine = createEngine({
    gateway,
    store,
    catalogue,
    // What the servers report beyond the runbooks (newer versions' health sets, monitor names).
    discovery: createDiscovery({
      gateway,
      clock,
      onError: (_server, err) => options.observer?.error?.('discovery', err),
    }),
    translator,
    parser,
    clock,
    newId: randomUUID,
    // Names the owner of the executions this process starts, in the shared database and the logs.
    instanceId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    surfaces: options.surfaces,
    policy,
    timeZone: config.timeZone,
    ...(config.escalationTarget ? { escalationTarget: config.escalationTarget } : {}),
    restartLimits: config.restartLimits,
    reboot: {
      ...DEFAULT_REBOOT_WATCH,
      settleSeconds: config.rebootSettleSeconds,
      ...(config.exchange.kind === 'lab' ? { pollSeconds: 5 } : {}),
    },
    ...(options.observer ? { observer: options.observer } : {}),
    anchorSink: async (anchor) => {
      // The log first: it is the copy that leaves the host soonest.
      options.anchored?.(anchor);
      await appendAnchor(config.audit.anchorFile, anchor);
    },
  });
  return {
    config,
    clock,
    store,
    gateway,
    catalogue,
    translator,
    parser,
    policy,
    personas,
    engine,
    audit,
    labScenario: () => made.scenario(),
    ...(made.reset ? { resetLab: made.reset } : {}),
    async close() {
      await gateway.close();
      await store.close();
    },
  };
}
