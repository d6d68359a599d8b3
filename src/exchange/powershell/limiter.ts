/**
 * At most N operations at a time against one Exchange server, first come first served.
 *
 * Why per server: the work of Get-ServerHealth and of a probe happens on the target server, and
 * a diagnosis of twenty servers at once must not put twenty probes on one of them, whatever the
 * size of the shell pool.
 */
import { GatewayError } from '../../core/index.ts';

interface Waiter {
  readonly grant: () => void;
}

export class ServerLimiter {
  private readonly running = new Map<string, number>();
  private readonly queues = new Map<string, Waiter[]>();
  /** The most operations seen at once per server, for benchmarks and tests. */
  readonly peak = new Map<string, number>();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error('the per-server limit must be a whole number of at least 1');
  }

  /** Waits for a slot on `server`; the returned function gives it back (once). */
  async acquire(server: string, signal: AbortSignal): Promise<() => void> {
    const key = server.toLowerCase();
    signal.throwIfAborted();
    if ((this.running.get(key) ?? 0) >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const queue = this.queues.get(key) ?? [];
        this.queues.set(key, queue);
        const onAbort = () => {
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          reject(new GatewayError('timeout', `waited too long for a free slot on ${server}`, { server }));
        };
        const waiter: Waiter = {
          grant: () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        queue.push(waiter);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    } else {
      this.running.set(key, (this.running.get(key) ?? 0) + 1);
    }
    this.peak.set(key, Math.max(this.peak.get(key) ?? 0, this.running.get(key) ?? 0));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(key);
    };
  }

  private release(key: string): void {
    const next = this.queues.get(key)?.shift();
    // The slot passes straight to the next waiter, so the count does not change.
    if (next) next.grant();
    else this.running.set(key, Math.max(0, (this.running.get(key) ?? 1) - 1));
  }
}
