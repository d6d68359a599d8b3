/**
 * A small pool of long-lived pwsh processes, each with the Exchange session imported once.
 *
 * Why a pool: starting pwsh and importing the Exchange session takes seconds; running a script
 * on a warm shell takes milliseconds plus Exchange's own time. Why small: each shell holds one of
 * the account's remote PowerShell sessions, and Exchange limits those per user.
 *
 * - A shell that has been idle for a while is checked (its session still Opened) before reuse.
 * - A shell that timed out, crashed or failed its check is disposed; the next caller gets a new one.
 * - When connecting fails, callers for the next `retryAfterMs` get the same error at once instead
 *   of each starting a pwsh of its own against an Exchange that is down.
 */
import { GatewayError } from '../../core/index.ts';
import type { ShellSpec } from './shell.ts';
import { PwshShell } from './shell.ts';

export interface PoolOptions {
  readonly shell: ShellSpec;
  /** The most shells alive at once. */
  readonly size: number;
  /** Makes a new shell ready (imports the session); throws a GatewayError when it cannot. */
  readonly connect: (shell: PwshShell) => Promise<void>;
  /** Is a shell that sat idle still fit for use? Never throws. */
  readonly check: (shell: PwshShell) => Promise<boolean>;
  /** Before giving a shell out, check it when it has been idle longer than this. */
  readonly recheckAfterIdleMs: number;
  readonly retryAfterMs: number;
  /** Ends a shell that is still healthy (removes its session first). */
  readonly retire: (shell: PwshShell) => Promise<void>;
  /** A healthy shell that must not be used again (its endpoint is being left): retired, not reused. */
  readonly outdated?: (shell: PwshShell) => boolean;
  readonly onEvent?: (event: PoolEvent) => void;
}

export type PoolEvent =
  | { readonly kind: 'started'; readonly shell: number; readonly ms: number }
  | { readonly kind: 'connect-failed'; readonly error: GatewayError }
  | { readonly kind: 'checked'; readonly shell: number; readonly ok: boolean }
  | { readonly kind: 'discarded'; readonly shell: number; readonly why: string };

export interface PoolStats {
  readonly started: number;
  readonly discarded: number;
  readonly checks: number;
  readonly idle: number;
  readonly busy: number;
  readonly starting: number;
}

export class ShellPool {
  private readonly idle: PwshShell[] = [];
  private readonly busy = new Set<PwshShell>();
  private starting = 0;
  private readonly waiters: (() => void)[] = [];
  private lastFailure: { readonly error: GatewayError; readonly at: number } | undefined;
  private closed = false;
  private counts = { started: 0, discarded: 0, checks: 0 };

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1)
      throw new Error('the pool needs room for at least one shell');
  }

  stats(): PoolStats {
    return { ...this.counts, idle: this.idle.length, busy: this.busy.size, starting: this.starting };
  }

  /** Is any shell connected right now? */
  get warm(): boolean {
    return this.idle.some((s) => s.alive) || this.busy.size > 0;
  }

  /** A ready shell, for the caller alone until `release`. */
  async acquire(signal: AbortSignal): Promise<PwshShell> {
    for (;;) {
      if (this.closed) throw new GatewayError('unavailable', 'the PowerShell gateway is closed');
      signal.throwIfAborted();
      const shell = this.idle.pop();
      if (shell && this.options.outdated?.(shell)) {
        void this.options.retire(shell).catch(() => shell.kill());
        this.wake();
        continue;
      }
      if (shell) {
        // Counted as busy while it is checked, so nobody starts a shell in its place meanwhile.
        this.busy.add(shell);
        if (await this.fit(shell)) return shell;
        this.busy.delete(shell);
        this.wake();
        continue;
      }
      if (this.busy.size + this.starting < this.options.size) {
        const failure = this.lastFailure;
        if (failure && Date.now() - failure.at < this.options.retryAfterMs) throw failure.error;
        return await this.startFor(signal);
      }
      await this.waitForChange(signal);
    }
  }

  /** Gives a shell back; `usable: false` (a timeout, a crash) disposes of it. */
  release(shell: PwshShell, usable: boolean): void {
    this.busy.delete(shell);
    if (usable && shell.alive && !this.closed && !this.options.outdated?.(shell)) {
      this.idle.push(shell);
    } else if (usable && shell.alive) {
      void this.options.retire(shell).catch(() => shell.kill());
    } else {
      this.discard(shell, 'failed during a call');
    }
    this.wake();
  }

  /** Retires the idle shells that are outdated now; busy ones are retired when they come back. */
  async retireOutdated(): Promise<void> {
    const outdated = this.idle.filter((s) => this.options.outdated?.(s));
    for (const s of outdated) this.idle.splice(this.idle.indexOf(s), 1);
    await Promise.all(outdated.map((s) => this.options.retire(s).catch(() => s.kill())));
    this.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((s) => this.options.retire(s).catch(() => s.kill())));
    // Busy shells are disposed of by `release`; do not leave them running if a caller never returns.
    await Promise.all([...this.busy].map((s) => s.kill()));
  }

  private async fit(shell: PwshShell): Promise<boolean> {
    if (!shell.alive) {
      this.discard(shell, 'exited while idle');
      return false;
    }
    if (Date.now() - shell.lastUsed < this.options.recheckAfterIdleMs) return true;
    this.counts.checks++;
    const ok = await this.options.check(shell);
    this.options.onEvent?.({ kind: 'checked', shell: shell.id, ok });
    if (!ok) this.discard(shell, 'failed its health check');
    return ok;
  }

  /**
   * Starts a shell for a caller who may stop waiting: a connect that outlives the caller's
   * deadline still finishes, and its shell joins the pool for the next caller.
   */
  private startFor(signal: AbortSignal): Promise<PwshShell> {
    const starting = this.start();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        starting.then(
          (shell) => this.release(shell, true),
          () => undefined,
        );
        reject(new GatewayError('timeout', 'gave up waiting for a PowerShell shell to connect'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      starting.then(
        (shell) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) return;
          resolve(shell);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  private async start(): Promise<PwshShell> {
    this.starting++;
    const began = Date.now();
    let shell: PwshShell | undefined;
    try {
      shell = new PwshShell(this.options.shell);
      await this.options.connect(shell);
      if (this.closed) throw new GatewayError('unavailable', 'the PowerShell gateway is closed');
      this.counts.started++;
      this.lastFailure = undefined;
      // Busy before `starting` drops, so the count of shells never dips while it changes hands.
      this.busy.add(shell);
      this.options.onEvent?.({ kind: 'started', shell: shell.id, ms: Date.now() - began });
      return shell;
    } catch (err) {
      const error =
        err instanceof GatewayError
          ? err
          : new GatewayError('unavailable', err instanceof Error ? err.message : String(err), {}, { cause: err });
      if (shell) void shell.kill();
      if (error.code !== 'timeout') this.lastFailure = { error, at: Date.now() };
      this.options.onEvent?.({ kind: 'connect-failed', error });
      throw error;
    } finally {
      this.starting--;
      this.wake();
    }
  }

  private discard(shell: PwshShell, why: string): void {
    this.counts.discarded++;
    this.options.onEvent?.({ kind: 'discarded', shell: shell.id, why });
    void shell.kill();
  }

  private waitForChange(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(wake);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(new GatewayError('timeout', 'waited too long for a free PowerShell shell'));
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private wake(): void {
    this.waiters.shift()?.();
  }
}
