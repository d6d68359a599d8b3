/**
 * The HTTP-mode receiver answers first and hands events to Bolt only once requests pause: an
 * acknowledgement never waits behind Bolt and engine work queued before it. Its backlog is
 * bounded, and what it cannot keep it refuses before answering 200. The gate's clock and timers
 * are the test's; the requests are real HTTP on 127.0.0.1.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { App, ReceiverEvent } from '@slack/bolt';
import { RequestsFirst } from '../../src/core/index.ts';
import { createAckFirstReceiver } from '../../adapters/slack/http-receiver.ts';
import { sign, SIGNING_SECRET } from './world.ts';

function manualClockGate() {
  let now = 0;
  const timers: { at: number; then: () => void }[] = [];
  const gate = new RequestsFirst({
    now: () => now,
    quietMs: 5,
    maxHoldMs: 1_000,
    after: (ms, then) => void timers.push({ at: now + ms, then }),
  });
  return {
    gate,
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.then();
      }
    },
  };
}

const turns = async (n = 10) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function start(options: { maxBacklog?: number; room?: () => number }) {
  const clock = manualClockGate();
  const log: string[] = [];
  const processed: string[] = [];
  const receiver = createAckFirstReceiver({
    signingSecret: SIGNING_SECRET,
    log: (level, msg) => log.push(`${level}: ${msg}`),
    gate: clock.gate,
    ...options,
  });
  const bolt = {
    processEvent: async (event: ReceiverEvent) => {
      processed.push(String(event.body.event_id));
    },
  };
  receiver.init(bolt as unknown as App);
  const server = createServer((req, res) => receiver.router(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const send = async (eventId: string) => {
    const body = JSON.stringify({ type: 'event_callback', event_id: eventId, event: { type: 'app_mention' } });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sign(body) },
      body,
    });
    return res.status;
  };
  const sendForged = async () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'EvForged', event: { type: 'app_mention' } });
    const headers = { ...sign(body), 'x-slack-signature': `v0=${'0'.repeat(64)}` };
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return res.status;
  };
  return { clock, receiver, processed, log, send, sendForged };
}

describe('the ack-first receiver under a burst', () => {
  it('acknowledges a request while the events before it still wait, and hands them all to Bolt once requests pause', async () => {
    const { clock, receiver, processed, send } = await start({});
    expect(await send('EvA')).toBe(200);
    // Many turns of the event loop, but requests are still "arriving" by the gate's clock.
    await turns();
    expect(processed).toEqual([]);
    expect(receiver.backlog).toBe(1);
    clock.advance(3);
    expect(await send('EvB')).toBe(200);
    await turns();
    expect(processed).toEqual([]);
    // The pause: 5 ms after the last request.
    clock.advance(4);
    await turns();
    expect(processed).toEqual([]);
    clock.advance(1);
    await receiver.drained();
    expect(processed).toEqual(['EvA', 'EvB']);
    expect(receiver.backlog).toBe(0);
  });

  it('holds work only for signed requests: a stream of forged ones does not delay the events already taken', async () => {
    const { clock, receiver, processed, send, sendForged } = await start({});
    expect(await send('EvA')).toBe(200);
    for (let i = 0; i < 3; i++) {
      clock.advance(2);
      expect(await sendForged()).toBe(401);
      await turns();
    }
    // 6 ms after the last signed request: its event goes to Bolt although forged ones kept coming.
    expect(processed).toEqual(['EvA']);
    expect(receiver.backlog).toBe(0);
  });

  it('refuses with 503, before acknowledging, what its backlog cannot hold; Bolt sees only what was acknowledged', async () => {
    const { clock, receiver, processed, send, log } = await start({ maxBacklog: 2 });
    expect([await send('Ev1'), await send('Ev2'), await send('Ev3')]).toEqual([200, 200, 503]);
    expect(log).toContain('warn: slack: too many events waiting; refused one for Slack to retry');
    clock.advance(5);
    await receiver.drained();
    expect(processed).toEqual(['Ev1', 'Ev2']);
    // Room again: Slack's retry of the refused event is taken.
    expect(await send('Ev3')).toBe(200);
    clock.advance(5);
    await receiver.drained();
    expect(processed).toEqual(['Ev1', 'Ev2', 'Ev3']);
  });

  it('refuses with 503 when the work queue behind Bolt has no room for another event', async () => {
    let room = 1;
    const { clock, receiver, processed, send } = await start({ room: () => room });
    expect(await send('Ev1')).toBe(200);
    expect(await send('Ev2')).toBe(503);
    room = 5;
    expect(await send('Ev2')).toBe(200);
    clock.advance(5);
    await receiver.drained();
    expect(processed).toEqual(['Ev1', 'Ev2']);
  });
});
