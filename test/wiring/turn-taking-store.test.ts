/**
 * The embedded store's calls take turns with I/O: a request that arrives while a diagnosis chains
 * store queries is answered between two of them, not after the whole chain.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.ts';
import { turnTakingStore, withTurnsWhenEmbedded } from '../../src/wiring/turn-taking-store.ts';
import type { NextTurn } from '../../src/wiring/turn-taking-store.ts';
import { waitingRequest } from '../support/waiting-request.ts';

/** Queries that run synchronously and resolve as microtasks, like a database in WebAssembly. */
function synchronousStore(log: string[], exclusive = true): Store {
  const stub = {
    exclusive,
    claimEvent: async (eventId: string) => {
      log.push(`query ${eventId}`);
      if (eventId === 'taken') return false;
      if (eventId === 'broken') throw new Error('store failed');
      return true;
    },
    getValue: async (key: string) => {
      log.push(`query ${key}`);
      return undefined;
    },
  };
  return stub as unknown as Store;
}

/** A task that chains ten queries without any I/O between them; the first one lets a request in. */
async function chainOfQueries(store: Store, log: string[], request: { send(): void }): Promise<void> {
  for (let i = 0; i < 10; i++) {
    if (i === 1) request.send();
    await store.claimEvent(String(i), new Date(0));
  }
}

describe('turnTakingStore', () => {
  it('answers a request that arrived during a chain of synchronous queries before the chain ends', async () => {
    const log: string[] = [];
    const request = await waitingRequest(log);
    try {
      await Promise.all([chainOfQueries(turnTakingStore(synchronousStore(log)), log, request), request.answered]);
      expect(log.indexOf('answered')).toBeGreaterThan(log.indexOf('query 0'));
      expect(log.indexOf('answered')).toBeLessThan(log.indexOf('query 9'));
    } finally {
      await request.close();
    }
  });

  it('(the same chain on the bare store answers the request only after its last query)', async () => {
    // The contrast that makes the test above mean something: without turns, no I/O in between.
    const log: string[] = [];
    const request = await waitingRequest(log);
    try {
      await Promise.all([chainOfQueries(synchronousStore(log), log, request), request.answered]);
      expect(log.indexOf('answered')).toBeGreaterThan(log.indexOf('query 9'));
    } finally {
      await request.close();
    }
  });

  it('starts one call per turn, in the order the calls were made, whoever made them', async () => {
    const log: string[] = [];
    const pending: (() => void)[] = [];
    const manual: NextTurn = (then) => void pending.push(then);
    const turn = async () => {
      pending.shift()!();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    const store = turnTakingStore(synchronousStore(log), manual);
    const calls = [store.claimEvent('a', new Date(0)), store.getValue('b'), store.claimEvent('c', new Date(0))];
    await Promise.resolve();
    expect(log).toEqual([]);
    await turn();
    expect(log).toEqual(['query a']);
    await turn();
    expect(log).toEqual(['query a', 'query b']);
    await turn();
    expect(log).toEqual(['query a', 'query b', 'query c']);
    expect(pending).toEqual([]);
    await expect(Promise.all(calls)).resolves.toEqual([true, undefined, true]);
  });

  it("passes the store's answers and failures through unchanged", async () => {
    const store = turnTakingStore(synchronousStore([]));
    await expect(store.claimEvent('taken', new Date(0))).resolves.toBe(false);
    await expect(store.claimEvent('broken', new Date(0))).rejects.toThrow('store failed');
    // A failed call does not hold up the calls after it.
    await expect(store.claimEvent('fresh', new Date(0))).resolves.toBe(true);
    expect(store.exclusive).toBe(true);
  });

  it("is applied to embedded stores only: a remote store's queries wait on I/O already", () => {
    const embedded = synchronousStore([], true);
    const remote = synchronousStore([], false);
    expect(withTurnsWhenEmbedded(remote)).toBe(remote);
    expect(withTurnsWhenEmbedded(embedded)).not.toBe(embedded);
  });
});
