/**
 * One long-lived pwsh process through node-powershell, made safe to use from a server:
 *
 * - node-powershell rejects a promise of its own when the process dies; if no invocation is
 *   waiting on it, that is an unhandled rejection that would take the whole bot down. We attach
 *   a handler and watch the child's exit ourselves.
 * - Its invocation timeout leaves the pipeline running inside pwsh (the next command queues
 *   behind it), so we time invocations ourselves and kill the process when time is up.
 * - It counts any stderr output as failure; we read both streams and let the envelope decide.
 * - It keeps every command and its output in `history` forever; we empty it after each call.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { PowerShell } from 'node-powershell';
import { GatewayError } from '../../core/index.ts';
import { invocationLine, redactPayloads } from './encode.ts';
import { killTree } from './kill-tree.ts';
import type { ScriptName } from './scripts.ts';
import { SCRIPTS } from './scripts.ts';

export interface ShellSpec {
  readonly executable: string;
  /** The child's environment; the parent's when absent. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: NodeJS.ErrnoException;
}

export interface RawAnswer {
  readonly stdout: string;
  readonly stderr: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** What node-powershell keeps private but a server must see: the child process and its exit promise. */
interface ShellInternals {
  readonly process: ChildProcess;
  readonly exitPromise: Promise<void>;
}

export const NOT_INSTALLED = 'PowerShell 7 (pwsh) is not installed or not on PATH';

function describeExit(info: ExitInfo): string {
  if (info.error) return info.error.code ?? info.error.message;
  return info.signal ? `signal ${info.signal}` : `exit code ${String(info.code)}`;
}

/**
 * Starts `executable -Version` and waits for the OS to have started it: how we tell "no pwsh"
 * from every later failure, at start-up and without reading PATH ourselves.
 */
export async function checkExecutable(spec: ShellSpec): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(spec.executable, ['-NoLogo', '-NoProfile', '-Version'], {
      stdio: 'ignore',
      ...(spec.env ? { env: spec.env } : {}),
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      const missing = err.code === 'ENOENT' || err.code === 'EACCES';
      reject(
        new GatewayError(
          missing ? 'not-installed' : 'failed',
          missing
            ? `${NOT_INSTALLED} (looked for "${spec.executable}")`
            : `cannot start ${spec.executable}: ${err.message}`,
        ),
      );
    });
    child.once('spawn', () => {
      child.kill('SIGKILL');
      resolve();
    });
  });
}

let nextId = 0;

export class PwshShell {
  readonly id = ++nextId;
  readonly startedAt = Date.now();
  /** When the shell last finished a call; the pool re-checks shells idle for long. */
  lastUsed = Date.now();
  /** Resolves when the process is gone, for whatever reason. */
  readonly exited: Promise<ExitInfo>;
  private exit: ExitInfo | undefined;
  private readonly ps: PowerShell;
  private readonly child: ChildProcess;
  private busy = false;

  constructor(spec: ShellSpec) {
    this.ps = new PowerShell({
      executable: spec.executable,
      executableOptions: {
        '-NoProfile': true,
        '-NonInteractive': true,
        // Import-PSSession writes a temporary module; Windows' default policy may refuse to load it.
        ...(process.platform === 'win32' ? { '-ExecutionPolicy': 'RemoteSigned' } : {}),
      },
      // Not a terminal: with TERM naming one, .NET's console writes cursor-mode escapes
      // (ESC[?1h, ESC[?1l) around each command it reads. When one lands right after the end marker
      // node-powershell waits for, in the same chunk, the marker is never seen and the call hangs
      // until its timeout (about one call in a few hundred on a busy machine).
      spawnOptions: { env: { ...(spec.env ?? process.env), TERM: 'dumb' } },
      throwOnInvocationError: false,
    });
    const internals = this.ps as unknown as ShellInternals;
    this.child = internals.process;
    internals.exitPromise.catch(() => undefined);
    // Writing to a dead process's stdin fails with EPIPE; node-powershell listens only once.
    this.ps.streams.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      const done = (info: ExitInfo) => {
        if (this.exit) return;
        this.exit = info;
        resolve(info);
      };
      this.child.once('exit', (code, signal) => done({ code, signal }));
      this.child.once('error', (error: NodeJS.ErrnoException) => done({ code: null, signal: null, error }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /**
   * Runs the fixed script `name` with `values`. Throws GatewayError `timeout` (the process is
   * killed: its pipeline would otherwise keep running), `crashed` (the process died) or
   * `not-installed` (it never started). Anything PowerShell itself reports is in the answer.
   */
  async run(name: ScriptName, values: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<RawAnswer> {
    if (this.busy) throw new GatewayError('failed', `shell ${this.id} is already running a script`);
    if (!this.alive) throw this.deadError(name);
    signal.throwIfAborted();
    this.busy = true;
    const startedAt = new Date();
    type Outcome =
      | { kind: 'done'; stdout: string; stderr: string }
      | { kind: 'error'; error: unknown }
      | { kind: 'exit' }
      | { kind: 'abort' };
    let onAbort: (() => void) | undefined;
    try {
      const outcome = await Promise.race<Outcome>([
        this.ps.invoke(invocationLine(SCRIPTS[name], values)).then(
          (r) => ({ kind: 'done', stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' }),
          (error: unknown) => ({ kind: 'error', error }),
        ),
        this.exited.then(() => ({ kind: 'exit' })),
        new Promise<Outcome>((resolve) => {
          onAbort = () => resolve({ kind: 'abort' });
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
      this.ps.history.length = 0;
      if (outcome.kind === 'abort') {
        await this.kill();
        const timedOut = (signal.reason as Error | undefined)?.name === 'TimeoutError';
        throw new GatewayError(
          'timeout',
          `${name} ${timedOut ? 'took too long' : 'was cancelled'}; its PowerShell process was stopped`,
        );
      }
      // A process that exits cleanly mid-command still "completes" the invocation with no output.
      if (outcome.kind !== 'done' || !this.alive) {
        await Promise.race([this.exited, new Promise((r) => setTimeout(r, 50))]);
        throw this.deadError(name, outcome.kind === 'error' ? outcome.error : undefined);
      }
      return { stdout: outcome.stdout, stderr: outcome.stderr, startedAt, endedAt: new Date() };
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      this.busy = false;
      this.lastUsed = Date.now();
    }
  }

  private deadError(name: string, cause?: unknown): GatewayError {
    const info = this.exit;
    if (info?.error && (info.error.code === 'ENOENT' || info.error.code === 'EACCES'))
      return new GatewayError('not-installed', NOT_INSTALLED, {}, { cause: info.error });
    const how = info
      ? describeExit(info)
      : cause instanceof Error
        ? redactPayloads(cause.message).slice(0, 300)
        : 'unknown reason';
    return new GatewayError(
      'crashed',
      `the PowerShell process stopped while running ${name} (${how})`,
      {},
      cause ? { cause } : {},
    );
  }

  /**
   * Ends the process at once (SIGKILL: a hung pipeline may not react to anything gentler), with
   * whatever it started: a `pwsh` launcher's real PowerShell must not live on as an orphan.
   */
  async kill(): Promise<void> {
    if (!this.alive) return;
    if (this.child.pid !== undefined) await killTree(this.child.pid);
    else this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Ends the process politely, then firmly if it does not go within `graceMs`. */
  async dispose(graceMs = 2000): Promise<void> {
    if (!this.alive) return;
    await this.ps.dispose('SIGTERM').catch(() => undefined);
    const gone = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref()),
    ]);
    if (!gone) await this.kill();
  }
}
