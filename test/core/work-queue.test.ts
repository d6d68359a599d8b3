/** The queue of work after acknowledgement: bounded, clicks first, never in the caller's turn. */
import { describe, expect, it } from 'vitest';
import { QueueFullError, RequestsFirst, WorkQueue } from '../../src/core/index.ts';
import { waitingRequest } from '../support/waiting-request.ts';

const tick = () => new Promise((r) => setImmediate(r));
/** Tasks start one per turn: enough turns for every start the test expects. */
const turns = async (n = 4) => {
  for (let i = 0; i < n; i++) await tick();
};

describe('WorkQueue', () => {
  it('runs at most `concurrency` tasks at once, waiting ones in order, urgent ones first', async () => {
    const queue = new WorkQueue(2);
    const started: string[] = [];
    let running = 0;
    let most = 0;
    const gates = new Map<string, () => void>();
    const task = (name: string) => () =>
      new Promise<void>((resolve) => {
        started.push(name);
        most = Math.max(most, ++running);
        gates.set(name, () => {
          running--;
          resolve();
        });
      });
    const all = [queue.push(task('m1')), queue.push(task('m2'))];
    await turns();
    expect(started).toEqual(['m1', 'm2']);
    all.push(queue.push(task('m3')), queue.push(task('m4')), queue.push(task('click'), { urgent: true }));
    await turns();
    expect(started).toEqual(['m1', 'm2']);
    gates.get('m1')!();
    await turns();
    expect(started).toEqual(['m1', 'm2', 'click']);
    for (const name of ['m2', 'click']) gates.get(name)!();
    await turns();
    for (const name of ['m3', 'm4']) gates.get(name)?.();
    await turns();
    gates.get('m4')?.();
    await Promise.all(all);
    expect(started).toEqual(['m1', 'm2', 'click', 'm3', 'm4']);
    expect(most).toBe(2);
  });

  it("never starts a task in the caller's turn", () => {
    const queue = new WorkQueue(4);
    let ran = false;
    void queue.push(async () => {
      ran = true;
    });
    expect(ran).toBe(false);
  });

  it("passes a task's failure to its caller and goes on with the next", async () => {
    const queue = new WorkQueue(1);
    const failing = queue.push(async () => Promise.reject(new Error('boom')));
    const next = queue.push(async () => {});
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBeUndefined();
  });

  it('drops work beyond its limit with a clear error instead of growing without bound', async () => {
    const queue = new WorkQueue(1, 2);
    const block = new Promise<void>(() => {});
    void queue.push(() => block);
    await tick();
    void queue.push(async () => {});
    void queue.push(async () => {});
    await expect(queue.push(async () => {})).rejects.toBeInstanceOf(QueueFullError);
    expect(queue.queued).toBe(2);
  });

  it('says when it is idle: nothing queued, nothing running', async () => {
    const queue = new WorkQueue(1);
    await queue.idle();
    let release!: () => void;
    const finished: string[] = [];
    void queue.push(() => new Promise<void>((r) => (release = () => (finished.push('first'), r()))));
    void queue.push(async () => void finished.push('second'));
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    await tick();
    await tick();
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(finished).toEqual(['first', 'second']);
  });

  it('starts queued tasks one per turn, so a request that arrived meanwhile is answered between two starts', async () => {
    const log: string[] = [];
    const request = await waitingRequest(log);
    try {
      const queue = new WorkQueue(10);
      // Each task's start is synchronous work (store queries and rendering before the first I/O).
      const tasks = Array.from({ length: 10 }, (_, i) =>
        queue.push(async () => {
          log.push(`task ${i}`);
          if (i === 0) request.send();
        }),
      );
      await Promise.all([...tasks, request.answered]);
      expect(log.indexOf('answered')).toBeGreaterThan(0);
      expect(log.indexOf('answered')).toBeLessThan(log.indexOf('task 9'));
    } finally {
      await request.close();
    }
  });

  it("hands a finished task's place on at the next turn, not in its own turn", async () => {
    const log: string[] = [];
    const request = await waitingRequest(log);
    try {
      const queue = new WorkQueue(1);
      const tasks = Array.from({ length: 10 }, (_, i) =>
        queue.push(async () => {
          log.push(`task ${i}`);
          if (i === 0) request.send();
        }),
      );
      await Promise.all([...tasks, request.answered]);
      expect(log.indexOf('answered')).toBeLessThan(log.indexOf('task 9'));
    } finally {
      await request.close();
    }
  });

  it('starts no task while requests are arriving, and starts them one per turn once they pause', async () => {
    let now = 0;
    const timers: (() => void)[] = [];
    const gate = new RequestsFirst({ now: () => now, quietMs: 5, after: (_ms, then) => void timers.push(then) });
    const queue = new WorkQueue(4, 100, gate.nextTurn);
    const started: string[] = [];
    gate.arrived();
    const done = ['a', 'b', 'c'].map((name) => queue.push(async () => void started.push(name)));
    await turns(8);
    expect(started).toEqual([]);
    now = 5;
    for (const fire of timers.splice(0)) fire();
    await Promise.all(done);
    expect(started).toEqual(['a', 'b', 'c']);
    expect(queue.room).toBe(100);
  });

  it('counts a task that throws before returning its promise as failed, and goes on', async () => {
    const queue = new WorkQueue(1);
    const throwing = queue.push((() => {
      throw new Error('at once');
    }) as () => Promise<void>);
    await expect(throwing).rejects.toThrow('at once');
    await expect(queue.push(async () => {})).resolves.toBeUndefined();
    await queue.idle();
  });
});
