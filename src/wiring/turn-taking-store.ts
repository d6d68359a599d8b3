/**
 * An embedded store (a database in WebAssembly, in this process) runs each query synchronously
 * on the event loop, and its promises resolve as microtasks: a running diagnosis can chain many
 * queries, and the rendering between them, without the event loop ever reading a socket. An
 * acknowledgement that Slack or Teams waits for then waits behind all of it.
 *
 * This decorator makes store calls take turns with I/O: at most one call starts per turn of the
 * event loop, in the order they were made. A request that arrives while diagnoses run is answered
 * after at most one query (and the work that follows it up to its next store call or I/O), not
 * after a whole chain. Only the moment a call starts changes: each call is still one call to the
 * store underneath, so its compare-and-sets and claims keep their meaning. A remote store (PostgreSQL)
 * is left as it is: its queries already wait on I/O. The turns come from the process's
 * requests-first gate: while requests are arriving, no call starts until they pause.
 */
import type { NextTurn, Store } from '../core/index.ts';
import { requestsFirst } from '../core/index.ts';

export type { NextTurn } from '../core/index.ts';

const afterIo: NextTurn = requestsFirst.nextTurn;

/** One call released per turn, in order. */
class Turns {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly nextTurn: NextTurn) {}

  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    this.nextTurn(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}

export function turnTakingStore(store: Store, nextTurn: NextTurn = afterIo): Store {
  const turns = new Turns(nextTurn);
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      let call = wrapped.get(key);
      if (!call) {
        const method = value as (...args: unknown[]) => unknown;
        call = async (...args: unknown[]) => {
          await turns.take();
          return method.apply(target, args);
        };
        wrapped.set(key, call);
      }
      return call;
    },
  });
}

/** What the composition root does with an opened store: embedded ones take turns, remote ones not. */
export function withTurnsWhenEmbedded(store: Store): Store {
  return store.exclusive ? turnTakingStore(store) : store;
}
