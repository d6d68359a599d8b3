/**
 * The work a chat adapter does after the platform got its answer, a bounded number at a time.
 * Slack and Teams both acknowledge first and work after; this is their shared queue.
 *
 * Without a bound, a burst of questions starts every diagnosis at once; their store queries and
 * renderings then queue on the event loop ahead of the next HTTP requests, and acknowledgements
 * slow down for everyone (measured in bench/teams.ts). With a bound, new requests are answered
 * between a few running tasks. Clicks go before waiting questions: Teams holds a click open for
 * a few seconds only (Teams), a question was already acknowledged.
 *
 * A task never starts in its caller's turn, so nothing of the work delays the acknowledgement. And
 * tasks start one per turn of the event loop, never several in one turn nor in the `finally` of the
 * task before: the start of a diagnosis runs store queries and renders before its first real I/O,
 * and requests that arrived meanwhile are read and answered between two such starts. While
 * requests are arriving, no task starts at all until they pause (src/core/requests-first.ts).
 */
import type { NextTurn } from './requests-first.ts';
import { requestsFirst } from './requests-first.ts';

type Task = { readonly run: () => Promise<void>; readonly done: (err?: unknown) => void };

export class QueueFullError extends Error {
  constructor() {
    super('too much work queued; the event was dropped');
    this.name = 'QueueFullError';
  }
}

export class WorkQueue {
  private running = 0;
  private readonly urgent: Task[] = [];
  private readonly normal: Task[] = [];
  private readonly idlers: (() => void)[] = [];
  private scheduled = false;

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued = 5_000,
    private readonly nextTurn: NextTurn = requestsFirst.nextTurn,
  ) {}

  get queued(): number {
    return this.urgent.length + this.normal.length;
  }

  /** How many more tasks `push` takes before it refuses with QueueFullError. */
  get room(): number {
    return Math.max(0, this.maxQueued - this.queued);
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  /** Resolves when `run` has finished; rejects with its error, or QueueFullError if dropped. */
  push(run: () => Promise<void>, options: { urgent?: boolean } = {}): Promise<void> {
    if (this.queued >= this.maxQueued) return Promise.reject(new QueueFullError());
    return new Promise((resolve, reject) => {
      const task: Task = { run, done: (err) => (err === undefined ? resolve() : reject(err)) };
      (options.urgent ? this.urgent : this.normal).push(task);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.nextTurn(() => {
      this.scheduled = false;
      this.startOne();
    });
  }

  /** Starts the next task if there is room, and asks for another turn when more could start. */
  private startOne(): void {
    if (this.running >= this.concurrency) return;
    const task = this.urgent.shift() ?? this.normal.shift();
    if (!task) return;
    this.running++;
    if (this.running < this.concurrency && this.queued > 0) this.schedule();
    void new Promise<void>((resolve) => resolve(task.run()))
      .then(
        () => task.done(),
        (err: unknown) => task.done(err ?? new Error('task failed')),
      )
      .finally(() => {
        this.running--;
        if (this.queued > 0) this.schedule();
        else if (this.running === 0) for (const done of this.idlers.splice(0)) done();
      });
  }
}
