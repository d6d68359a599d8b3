/**
 * The lab's mutable state: which faults are still active, and what the operations changed
 * (services, app pools, database copies, activation blocks, protocol logging). Plain JSON, so
 * the CLI can keep it in a file between processes and two processes see the same organisation.
 */
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppPoolStatus, ComponentStateValue, DatabaseCopy, ServerInfo, ServiceStatus } from '../../core/index.ts';
import { GatewayError } from '../../core/index.ts';
import { LAB_COPIES, LAB_DOMAIN, LAB_SERVERS } from './organisation.ts';
import type { Fault, Scenario } from './scenarios.ts';
import type { ServerContextState } from './server-context.ts';
import { initialServerContext } from './server-context.ts';
import type { LabEvidence } from './evidence.ts';
import { initialEvidence } from './evidence.ts';
import { scheduled } from './schedule.ts';

export interface ActiveFault extends Fault {
  /** ISO time the alert was first observed. */
  readonly since: string;
  /** A scheduled fault: when it breaks and when it mends by itself (ISO; see schedule.ts). */
  readonly startsAt?: string;
  readonly endsAt?: string;
}

export interface LabState extends ServerContextState {
  readonly version: 1;
  readonly scenario: string;
  faults: ActiveFault[];
  /** `SERVER|Service` → status, where an operation set one. */
  services: Record<string, ServiceStatus>;
  appPools: Record<string, AppPoolStatus>;
  copies: { -readonly [K in keyof DatabaseCopy]: DatabaseCopy[K] }[];
  /** Servers with DatabaseCopyActivationDisabledAndMoveNow set. */
  activationBlocked: string[];
  /** `SERVER|imap` → enabled. */
  logging: Record<string, boolean>;
  /** Every state-changing operation that ran, for tests and for `lab` inspection. */
  history: { at: string; operation: string; server: string; detail: string }[];
  /** Servers the scenario adds to contoso.com (a standalone Mailbox server). */
  extraServers?: ServerInfo[];
  /** `SERVER|Component` → the requesters that hold it other than Active (absent: Active). */
  components?: Record<string, { requester: string; state: ComponentStateValue; at: string }[]>;
  /** DatabaseCopyAutoActivationPolicy per server, where not Unrestricted. */
  activationPolicy?: Record<string, string>;
  /** `SERVER|Service` → StartType, where not Automatic. */
  startTypes?: Record<string, 'Automatic' | 'Manual' | 'Disabled'>;
  /** When each server last booted (ISO). */
  bootTimes?: Record<string, string>;
  /** A restart under way: when the server answers again, and how long each component then takes. */
  restarts?: Record<string, { backAt: string; componentSeconds: number }>;
  /** Health mailboxes and directory servers, where the scenario sets them. */
  monitoringMailboxes?: { server: string; database: string }[];
  directoryServers?: { server: string; domainControllers: string[]; globalCatalogs: string[] }[];
  /** Transport queues and stopped IIS sites, where the scenario sets them (runbook families). */
  queues?: {
    server: string;
    identity: string;
    deliveryType?: string;
    status: string;
    messageCount: number;
    nextHopDomain?: string;
    lastError?: string;
  }[];
  stoppedSites?: { server: string; site: string }[];
  /** How long a restart takes in this scenario. */
  restartTiming?: { downSeconds: number; componentSeconds: number };
  /** Recovery actions, probe results, Windows events and unlisted health sets (evidence.ts). */
  evidence?: LabEvidence;
}

export function initialState(scenario: Scenario, now: Date): LabState {
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
  const extraServers: ServerInfo[] = scenario.servers.map((s) => ({
    name: s.name,
    fqdn: `${s.name.toLowerCase()}.${LAB_DOMAIN}`,
    roles: s.roles,
    site: 'Default-First-Site-Name',
    version: s.version,
    dag: s.dag,
  }));
  const components: NonNullable<LabState['components']> = {};
  for (const c of scenario.components)
    (components[`${c.server}|${c.component}`] ??= []).push({
      requester: c.requester,
      state: c.state,
      at: ago(c.minutesAgo),
    });
  const services: LabState['services'] = {};
  const startTypes: NonNullable<LabState['startTypes']> = {};
  for (const s of scenario.services) {
    services[`${s.server}|${s.service}`] = s.status;
    startTypes[`${s.server}|${s.service}`] = s.startType;
  }
  const context = initialServerContext(scenario, now);
  return {
    version: 1,
    scenario: scenario.id,
    faults: scenario.faults.map((f) => scheduled(f, now) ?? { ...f, since: ago(f.sinceMinutes) }),
    services,
    appPools: {},
    // zod writes absent optionals as undefined; the copies are plain JSON without them.
    copies: (scenario.copies ?? LAB_COPIES).map((c) => JSON.parse(JSON.stringify(c)) as LabState['copies'][number]),
    activationBlocked: scenario.activation.filter((a) => a.disabledAndMoveNow).map((a) => a.server),
    logging: {},
    history: [],
    extraServers,
    components,
    activationPolicy: Object.fromEntries(scenario.activation.map((a) => [a.server, a.policy])),
    startTypes,
    // Every server has been up for a month when a scenario starts.
    bootTimes: {
      ...Object.fromEntries([...LAB_SERVERS, ...extraServers].map((s) => [s.name, ago(30 * 24 * 60)])),
      ...context.bootTimes,
    },
    clusterPaused: context.clusterPaused,
    overrides: context.overrides,
    versions: context.versions,
    restarts: {},
    restartTiming: scenario.restart,
    monitoringMailboxes: scenario.monitoringMailboxes,
    directoryServers: scenario.directoryServers,
    evidence: initialEvidence(scenario, now),
    queues: JSON.parse(JSON.stringify(scenario.queues)) as NonNullable<LabState['queues']>,
    stoppedSites: scenario.stoppedSites,
  };
}

/** Where the state lives: in memory for tests and the bot, in a file for the CLI. */
export interface StateHolder {
  /** Runs `change` on the current state and keeps what it did, atomically with respect to other holders of the same file. */
  update<T>(change: (state: LabState) => T | Promise<T>): Promise<T>;
  read(): Promise<LabState>;
}

export function memoryState(initial: LabState): StateHolder {
  let state = initial;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    update<T>(change: (s: LabState) => T | Promise<T>): Promise<T> {
      const next = queue.then(async () => {
        const draft = structuredClone(state);
        const out = await change(draft);
        state = draft;
        return out;
      });
      queue = next.catch(() => undefined);
      return next;
    },
    read: async () => structuredClone(state),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An exclusive lock file next to the state; a lock older than `staleMs` belonged to a dead process. */
async function withLock<T>(file: string, run: () => Promise<T>, staleMs = 10_000, waitMs = 10_000): Promise<T> {
  const lock = `${file}.lock`;
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > staleMs) await rm(lock, { force: true });
      else if (Date.now() - started > waitMs)
        throw new GatewayError('unavailable', `lab state is locked by another process (${lock})`);
      else await sleep(15);
    }
  }
  try {
    return await run();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * State in a JSON file, read and written under a lock with an atomic rename, so two CLI
 * processes (alice clicks, bob approves) never lose each other's changes. When `scenario` differs
 * from the file's, the file starts over with it.
 */
export async function fileState(
  file: string,
  scenario: Scenario | undefined,
  fallback: () => Promise<Scenario>,
  now: () => Date,
): Promise<StateHolder> {
  mkdirSync(dirname(file), { recursive: true });
  // A missing file is a lab not started yet. A file that cannot be read or parsed is an
  // unreadable organisation: reads fail with that, instead of quietly starting the scenario over
  // (which would show faults already mended, or mend faults nobody fixed).
  const load = async (): Promise<LabState | undefined> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new GatewayError('unavailable', `cannot read the lab state ${file}: ${(err as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as LabState;
      if (parsed.version === 1) return parsed;
    } catch {
      // reported below
    }
    throw new GatewayError('bad-output', `the lab state ${file} is not a lab state file`);
  };
  const save = async (state: LabState) => {
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(state, null, 2));
    await rename(tmp, file);
  };
  await withLock(file, async () => {
    // At start a damaged state file is replaced: the lab begins its scenario afresh.
    const current = await load().catch(() => undefined);
    if (!current || (scenario && current.scenario !== scenario.id))
      await save(initialState(scenario ?? (await fallback()), now()));
  });
  return {
    update: <T>(change: (s: LabState) => T | Promise<T>) =>
      withLock(file, async () => {
        const state = (await load()) ?? initialState(scenario ?? (await fallback()), now());
        const out = await change(state);
        await save(state);
        return out;
      }),
    read: async () => (await load()) ?? initialState(scenario ?? (await fallback()), now()),
  };
}
