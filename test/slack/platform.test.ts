/**
 * Slack's platform rules: signed requests only, redeliveries answered once, double clicks run
 * nothing twice, rate limits honoured.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope, SlackWorld } from './world.ts';
import { buttonValue, clickPayload, fixture, headerOf, sign, startSlackWorld } from './world.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const MENTION_TS = '1764151200.000100';

describe('Slack platform rules', () => {
  it('refuses a forged signature, a stale or future timestamp and an unsigned request with 401, a signed garbage body with 400, and acts on none', async () => {
    world = await startSlackWorld('imap-backend-hang');
    const body = JSON.stringify(fixture('app_mention'));
    const forged = await world.raw(body, {
      'content-type': 'application/json',
      ...sign(body, undefined, 'not-the-secret'),
    });
    expect(forged.status).toBe(401);
    const stale = await world.raw(body, {
      'content-type': 'application/json',
      ...sign(body, Math.floor(Date.now() / 1000) - 6 * 60),
    });
    expect(stale.status).toBe(401);
    const tampered = await world.raw(body.replace('server1', 'server2'), {
      'content-type': 'application/json',
      ...sign(body),
    });
    expect(tampered.status).toBe(401);
    expect((await world.raw(body, { 'content-type': 'application/json' })).status).toBe(401);
    const future = await world.raw(body, {
      'content-type': 'application/json',
      ...sign(body, Math.floor(Date.now() / 1000) + 6 * 60),
    });
    expect(future.status).toBe(401);
    const garbage = 'not json at all';
    expect((await world.raw(garbage, { 'content-type': 'application/json', ...sign(garbage) })).status).toBe(400);
    await world.adapter.idle();
    expect(world.calls).toEqual([]);
    expect(world.harness.gateway.ran).toEqual([]);
  });

  it('answers the URL verification challenge', async () => {
    world = await startSlackWorld('healthy');
    const res = await world.event({ token: 'x', challenge: 'c-123', type: 'url_verification' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('c-123');
  });

  it('answers a retried event (same event_id, X-Slack-Retry-Num) once', async () => {
    world = await startSlackWorld('imap-backend-hang');
    const w = world;
    const mention = fixture<EventEnvelope>('app_mention');
    const [first, retry, again] = await Promise.all([
      w.event(mention),
      w.event(mention, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }),
      w.event(mention, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' }),
    ]);
    expect([first.status, retry.status, again.status]).toEqual([200, 200, 200]);
    await w.until('diagnosis', () => w.cards().find((c) => /problem confirmed/.test(headerOf(c.blocks))));
    await w.adapter.idle();
    expect(w.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(
      w.harness.gateway.ran.filter((op) => op.kind === 'get-server-health' && op.server === 'SERVER1'),
    ).toHaveLength(1);
  });

  it('runs an approved restart once under double clicks by two approvers', async () => {
    world = await startSlackWorld('imap-backend-hang');
    const w = world;
    await w.event(fixture('app_mention'));
    const diagnosis = await w.until('diagnosis', () =>
      w.cards().find((c) => /problem confirmed/.test(headerOf(c.blocks))),
    );
    const click = (ts: string, value: string, user: string, n: number) =>
      w.click(
        clickPayload({
          messageTs: ts,
          threadTs: MENTION_TS,
          value,
          user,
          actionTs: `1764151300.${String(n).padStart(6, '0')}`,
        }),
      );
    await click(diagnosis.ts, buttonValue(diagnosis.blocks, /Restart MSExchangeIMAP4BE/), 'UALICE', 1);
    const approval = await w.until('approval', () => w.cards().find((c) => /Approval needed/.test(headerOf(c.blocks))));
    const approve = buttonValue(approval.blocks, /^Approve$/);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => click(approval.ts, approve, i % 2 ? 'UBOB' : 'UDAVE', 10 + i)),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await w.until('resolved', () =>
      w.cards().find((c) => c.ts === diagnosis.ts && /resolved/.test(headerOf(c.blocks))),
    );
    await w.adapter.idle();
    expect(w.harness.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
    // The late clickers are told, each privately, who got there first.
    const told = w.calls.filter((c) => c.method === 'chat.postEphemeral');
    expect(told.length).toBeGreaterThan(0);
    for (const t of told)
      expect(t.args.blocks).toMatch(/Already approved by (Bob|Dave)|Bereits freigegeben von (Bob|Dave)/);
  });

  it('waits out a 429 for as long as Retry-After says, then posts', async () => {
    world = await startSlackWorld('imap-backend-hang', {
      adapter: { clientOptions: { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } } },
    });
    const w = world;
    w.override('chat.postMessage', [[429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' }]]);
    const started = Date.now();
    await w.event(fixture('app_mention'));
    await w.until(
      'posted after the wait',
      () => w.calls.find((c) => c.method === 'chat.postMessage' && c.status === 200),
      10_000,
    );
    const posts = w.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
