/**
 * The lab's mutable state: which faults are still active, and what the operations changed
 * (services, app pools, database copies, activation blocks, protocol logging). Plain JSON, so
 * the CLI can keep it in a file between processes and two processes see the same organisation.
 */
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppPoolStatus, DatabaseCopy, ServiceStatus } from '../../core/index.ts';
import { GatewayError } from '../../core/index.ts';
import { LAB_COPIES } from './organisation.ts';
import type { Fault, Scenario } from './scenarios.ts';

export interface ActiveFault extends Fault {
  /** ISO time the alert was first observed. */
  readonly since: string;
}

export interface LabState {
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
}

export function initialState(scenario: Scenario, now: Date): LabState {
  return {
    version: 1,
    scenario: scenario.id,
    faults: scenario.faults.map((f) => ({ ...f, since: new Date(now.getTime() - f.sinceMinutes * 60_000).toISOString() })),
    services: {},
    appPools: {},
    copies: LAB_COPIES.map((c) => ({ ...c })),
    activationBlocked: [],
    logging: {},
    history: [],
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
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > staleMs) await rm(lock, { force: true });
      else if (Date.now() - started > waitMs) throw new GatewayError('unavailable', `lab state is locked by another process (${lock})`);
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
export async function fileState(file: string, scenario: Scenario | undefined, fallback: () => Promise<Scenario>, now: () => Date): Promise<StateHolder> {
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
    if (!current || (scenario && current.scenario !== scenario.id)) await save(initialState(scenario ?? (await fallback()), now()));
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
