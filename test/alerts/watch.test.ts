/**
 * Watch mode on the lab with an injected clock: debounced raise and clear from Get-ServerHealth,
 * an unreadable server never cleared, one watcher at a time with the lease taken over from a dead
 * holder, and the scheduled fault of the alert demo showing a card that clears by itself.
 */
import { describe, expect, it } from 'vitest';
import type { Operation, Store } from '../../src/core/index.ts';
import { GatewayError } from '../../src/core/index.ts';
import type { AlertRecord } from '../../src/core/alerts/index.ts';
import { createAlertIntake, createWatcher, nextDelay, observe, problemKey } from '../../src/core/alerts/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { cardText, createHarness, interceptRun } from '../engine/harness.ts';
import { recordingChannel } from './channel.ts';

async function watching(
  options: { store?: Store; instanceId?: string; failFor?: { server?: string }; scenario?: string } = {},
) {
  const failFor = options.failFor ?? {};
  const h = await createHarness(options.scenario ?? 'imap-alert-demo', {
    ...(options.store ? { store: options.store } : {}),
    overrides: { instanceId: options.instanceId ?? 'replica-a' },
    wrapGateway: interceptRun((op: Operation, next) => {
      if (failFor.server && op.server === failFor.server)
        return Promise.reject(new GatewayError('timeout', 'the server did not answer'));
      return next();
    }),
  });
  const channel = recordingChannel(h.surface);
  const intake = createAlertIntake({ ctx: h.engine.context, channels: () => [channel] });
  const watcher = createWatcher({
    ctx: h.engine.context,
    emit: (alerts) => intake.accept(alerts),
    settings: { intervalMs: 15_000, samples: 2 },
  });
  const step = async (ms = 15_000) => {
    h.clock.advance(ms);
    const cycle = await watcher.cycle();
    await intake.drain();
    return cycle;
  };
  return { h, channel, intake, watcher, step, failFor };
}

describe('debounce', () => {
  it('raises after two unhealthy readings in a row and clears after two healthy ones', () => {
    let s = observe(undefined, 'unhealthy', 2);
    expect(s.change).toBeUndefined();
    s = observe(s.state, 'healthy', 2);
    s = observe(s.state, 'unhealthy', 2);
    expect(s.change).toBeUndefined();
    s = observe(s.state, 'unhealthy', 2);
    expect(s.change).toBe('raise');
    s = observe(s.state, 'unhealthy', 2);
    expect(s.change).toBeUndefined();
    s = observe(s.state, 'healthy', 2);
    expect(s.change).toBeUndefined();
    s = observe(s.state, 'healthy', 2);
    expect(s.change).toBe('clear');
  });

  it('waits a jittered interval, within a tenth either way', () => {
    expect(nextDelay({ intervalMs: 120_000, jitter: 0.1 }, () => 0)).toBe(108_000);
    expect(nextDelay({ intervalMs: 120_000, jitter: 0.1 }, () => 0.5)).toBe(120_000);
    expect(nextDelay({ intervalMs: 120_000, jitter: 0.1 }, () => 0.999999)).toBe(132_000);
  });
});

describe('watch mode', () => {
  it('shows the scheduled fault as an alert with its diagnosis, and the card clears by itself when the lab recovers', async () => {
    const { h, channel, step } = await watching();
    expect(await step(0)).toMatchObject({ watching: true, servers: 3, raised: 0 });
    expect(await step(15_000)).toMatchObject({ raised: 0 });
    // t+30 s: IMAP breaks; one bad sample is not an incident.
    expect(await step(15_000)).toMatchObject({ raised: 0 });
    expect(channel.posted).toHaveLength(0);
    expect(await step(15_000)).toMatchObject({ raised: 1 });
    expect(channel.posted).toHaveLength(1);
    expect(channel.posted[0]!.card().title).toBe('Alert: IMAP unhealthy on SERVER1');
    expect(cardText(channel.posted[0]!.card())).toMatch(/by Healthbot's watch/);
    expect(h.lastCard('diagnosis')?.title).toMatch(/IMAP on SERVER1: problem confirmed/);
    // Still failing: no new alert.
    expect(await step(60_000)).toMatchObject({ raised: 0 });
    // t+5 min: it recovers by itself; two healthy samples clear it.
    h.clock.advance(300_000 - 105_000);
    expect(await step(0)).toMatchObject({ cleared: 0 });
    expect(await step(15_000)).toMatchObject({ cleared: 1 });
    expect(cardText(channel.posted[0]!.card())).toMatch(/cleared by itself/);
    expect(channel.posted).toHaveLength(1);
  });

  it('never clears a problem on a server it cannot read', async () => {
    const { step, failFor, h } = await watching({ scenario: 'imap-backend-hang' });
    await step(0);
    await step(15_000);
    expect(await h.store.getValue<AlertRecord>(problemKey('SERVER1', 'IMAP'))).toMatchObject({ open: true });
    failFor.server = 'SERVER1';
    for (let i = 0; i < 4; i++) expect(await step(15_000)).toMatchObject({ unreadable: ['SERVER1'], cleared: 0 });
    expect(await h.store.getValue<AlertRecord>(problemKey('SERVER1', 'IMAP'))).toMatchObject({ open: true });
  });

  it('lets one replica watch; another takes over when the holder dies, and clears what the holder raised', async () => {
    const store = createMemoryStore();
    const a = await watching({ store, instanceId: 'replica-a', scenario: 'imap-backend-hang' });
    const b = await watching({ store, instanceId: 'replica-b', scenario: 'imap-backend-hang' });
    expect(await a.step(0)).toMatchObject({ watching: true });
    expect(await b.step(0)).toMatchObject({ watching: false });
    await a.step(15_000);
    expect(await b.step(15_000)).toMatchObject({ watching: false });
    expect(await store.getValue<AlertRecord>(problemKey('SERVER1', 'IMAP'))).toMatchObject({
      open: true,
      source: 'watch',
    });
    // replica-a dies (stops cycling). Its lease lasts three intervals; after that b watches.
    expect(await b.step(30_000)).toMatchObject({ watching: false });
    expect(await b.step(20_000)).toMatchObject({ watching: true });
    // The fault is mended on b's lab; b clears what a raised (IMAP on SERVER1, IMAP.Protocol on MBX1).
    await b.h.gateway.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    await b.step(15_000);
    expect(await b.step(15_000)).toMatchObject({ cleared: 2 });
    expect(await store.getValue<AlertRecord>(problemKey('SERVER1', 'IMAP'))).toMatchObject({ open: false });
  });

  it('hands the lease back at stop, so the next replica need not wait', async () => {
    const store = createMemoryStore();
    const a = await watching({ store, instanceId: 'replica-a' });
    const b = await watching({ store, instanceId: 'replica-b' });
    await a.step(0);
    await a.watcher.stop();
    expect(await b.step(0)).toMatchObject({ watching: true });
  });
});
