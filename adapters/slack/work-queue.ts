/**
 * Work that follows an acknowledgement. Slack wants its 200 within 3 s, and a storm of incidents
 * brings many events at once: if each listener went straight into a diagnosis, the CPU they take
 * would delay the acknowledgements of the events still arriving. So listeners only enqueue; jobs
 * start on `setImmediate` (after pending I/O, i.e. after the next requests are read and acked),
 * and at most `concurrency` run at once.
 */
export interface WorkQueue {
  push(job: () => Promise<void>): void;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
  readonly size: number;
}

export function createWorkQueue(concurrency: number, onError: (err: unknown) => void): WorkQueue {
  const waiting: (() => Promise<void>)[] = [];
  const idlers = new Set<() => void>();
  let active = 0;
  const settle = () => {
    if (active === 0 && waiting.length === 0) for (const done of [...idlers]) done();
  };
  const pump = () => {
    while (active < concurrency && waiting.length > 0) {
      const job = waiting.shift()!;
      active++;
      setImmediate(() => {
        job()
          .catch(onError)
          .finally(() => {
            active--;
            pump();
            settle();
          });
      });
    }
  };
  return {
    push(job) {
      waiting.push(job);
      pump();
    },
    idle() {
      return new Promise<void>((resolve) => {
        const done = () => {
          idlers.delete(done);
          resolve();
        };
        idlers.add(done);
        settle();
      });
    },
    get size() {
      return waiting.length + active;
    },
  };
}
