/**
 * The requests-first gate: deferrable work waits while requests arrive, runs once they pause, and
 * never waits longer than its bound. Turns, timers and the clock are all the test's own.
 */
import { describe, expect, it } from 'vitest';
import { RequestsFirst } from '../../src/core/index.ts';

function manualGate(options: { quietMs?: number; maxHoldMs?: number } = {}) {
  let now = 0;
  const turns: (() => void)[] = [];
  const timers: { at: number; then: () => void }[] = [];
  const gate = new RequestsFirst({
    now: () => now,
    quietMs: options.quietMs ?? 5,
    maxHoldMs: options.maxHoldMs ?? 100,
    immediate: (then) => void turns.push(then),
    after: (ms, then) => void timers.push({ at: now + ms, then }),
  });
  return {
    gate,
    /** One turn of the event loop: what was asked for before it runs, not what it asks for. */
    turn() {
      for (const run of turns.splice(0)) run();
    },
    /** Moves the clock; timers that are due fire (each asks for a turn). */
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.then();
      }
    },
    get timers() {
      return timers.length;
    },
  };
}

describe('RequestsFirst', () => {
  it('with no request around, runs what was asked on the next turn, in order, not in the caller’s turn', () => {
    const m = manualGate();
    const log: string[] = [];
    m.gate.nextTurn(() => log.push('a'));
    m.gate.nextTurn(() => log.push('b'));
    expect(log).toEqual([]);
    m.turn();
    expect(log).toEqual(['a', 'b']);
    // Asked for during a turn: the next turn, not this one.
    m.gate.nextTurn(() => {
      log.push('c');
      m.gate.nextTurn(() => log.push('d'));
    });
    m.turn();
    expect(log).toEqual(['a', 'b', 'c']);
    m.turn();
    expect(log).toEqual(['a', 'b', 'c', 'd']);
  });

  it('holds work while requests arrive and runs it once they have paused for quietMs', () => {
    const m = manualGate({ quietMs: 5 });
    const log: string[] = [];
    m.gate.arrived();
    m.gate.nextTurn(() => log.push('work'));
    m.turn();
    expect(log).toEqual([]);
    expect(m.gate.held).toBe(1);
    // Another request 3 ms later moves the pause on.
    m.advance(3);
    m.gate.arrived();
    m.advance(2);
    m.turn();
    expect(log).toEqual([]);
    // 7 ms: 4 ms after the last request, not yet a pause.
    m.advance(2);
    m.turn();
    expect(log).toEqual([]);
    m.advance(1);
    m.turn();
    expect(log).toEqual(['work']);
    expect(m.gate.held).toBe(0);
    expect(m.timers).toBe(0);
  });

  it('never holds longer than maxHoldMs: then work and requests take turns until they pause', () => {
    const m = manualGate({ quietMs: 5, maxHoldMs: 20 });
    const log: string[] = [];
    m.gate.arrived();
    m.gate.nextTurn(() => log.push('first'));
    m.turn();
    // A request every 2 ms: never a pause of 5.
    for (let t = 0; t < 18; t += 2) {
      m.advance(2);
      m.gate.arrived();
      m.turn();
    }
    expect(log).toEqual([]);
    m.advance(2);
    m.gate.arrived();
    m.turn();
    expect(log).toEqual(['first']);
    // Still arriving: no more holding, one turn each.
    m.gate.nextTurn(() => log.push('second'));
    m.gate.arrived();
    m.turn();
    expect(log).toEqual(['first', 'second']);
    // After a pause, the next burst holds work again.
    m.advance(10);
    m.gate.nextTurn(() => log.push('third'));
    m.turn();
    expect(log).toEqual(['first', 'second', 'third']);
    m.gate.arrived();
    m.gate.nextTurn(() => log.push('fourth'));
    m.turn();
    expect(log).toEqual(['first', 'second', 'third']);
    m.advance(5);
    m.turn();
    expect(log).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('runs the rest of a turn when one callback throws, and still reports the error', () => {
    const m = manualGate();
    const log: string[] = [];
    m.gate.nextTurn(() => {
      throw new Error('boom');
    });
    m.gate.nextTurn(() => log.push('after'));
    expect(() => m.turn()).toThrow('boom');
    expect(log).toEqual(['after']);
  });
});
