/** Coalescing card updates, and identities from users.info and user groups, with fake clients. */
import { describe, expect, it } from 'vitest';
import type { webApi } from '@slack/bolt';
import type { Card } from '../../src/core/index.ts';
import { systemClock } from '../../src/core/index.ts';
import { createSlackSurface } from '../../adapters/slack/surface.ts';
import { createIdentities } from '../../adapters/slack/identity.ts';
import { ManualClock } from '../engine/harness.ts';

const card = (title: string): Card => ({
  kind: 'diagnosis',
  title,
  severity: 'info',
  facts: [],
  sections: [],
  actions: [],
});
const REF = 'slack:T1:C1:1764151200.000100';

function fakeClient(delayMs = 5) {
  const updates: { ts: string; text: string }[] = [];
  let usersInfo = 0;
  let posted = 0;
  let groupLists = 0;
  const client = {
    chat: {
      postMessage: async () => ({ ok: true, ts: `1764151201.${String(++posted).padStart(6, '0')}` }),
      update: async (args: { ts: string; text: string }) => {
        await new Promise((r) => setTimeout(r, delayMs));
        updates.push({ ts: args.ts, text: args.text });
        return { ok: true };
      },
      postEphemeral: async () => ({ ok: true }),
    },
    users: {
      info: async ({ user }: { user: string }) => {
        usersInfo++;
        if (user === 'UBROKEN') throw new Error('users.info failed');
        return {
          ok: true,
          user: { id: user, name: 'bob', locale: 'de-DE', profile: { display_name: 'Bob', email: 'bob@contoso.com' } },
        };
      },
    },
    usergroups: {
      users: {
        list: async ({ usergroup }: { usergroup: string }) => {
          groupLists++;
          return { ok: true, users: usergroup === 'SAPPROVERS' ? ['UBOB'] : [] };
        },
      },
    },
  };
  return { client: client as unknown as webApi.WebClient, updates, counts: () => ({ usersInfo, groupLists }) };
}

describe('Slack card updates', () => {
  it('coalesce a burst into a few chat.update calls, and the last card always arrives', async () => {
    const { client, updates } = fakeClient();
    const surface = createSlackSurface({
      client,
      clock: systemClock,
      log: () => {},
      minUpdateIntervalMs: 50,
      updatesPerMinute: 6000,
    });
    const ts = await surface.post(REF, card('checking'));
    for (let i = 1; i <= 30; i++) await surface.update(REF, ts, card(`progress ${i}`));
    await surface.flush();
    expect(updates.length).toBeLessThanOrEqual(3);
    expect(updates.at(-1)).toEqual({ ts, text: 'progress 30' });
  });

  it('keeps state only for recently sent messages, however many it posts', async () => {
    const { client } = fakeClient(0);
    let clock = Date.UTC(2026, 10, 26, 8);
    const surface = createSlackSurface({
      client,
      // Waiting (for a channel's posting slot) moves this clock on, as time would.
      clock: { now: () => new Date(clock), sleep: async (ms) => void (clock += ms) },
      log: () => {},
      minUpdateIntervalMs: 1_000,
      updatesPerMinute: 60_000,
    });
    for (let i = 0; i < 1_000; i++) {
      await surface.post(REF, card(`card ${i}`));
      clock += 10;
    }
    expect(surface.tracked).toBeLessThan(400);
  });

  it('space updates across messages to stay under the workspace budget', async () => {
    const { client, updates } = fakeClient(0);
    const surface = createSlackSurface({
      client,
      clock: systemClock,
      log: () => {},
      minUpdateIntervalMs: 0,
      updatesPerMinute: 600,
    }); // one per 100 ms
    const started = Date.now();
    for (let i = 0; i < 5; i++) await surface.update(REF, `1764151201.00000${i}`, card(`card ${i}`));
    await surface.flush();
    expect(updates).toHaveLength(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });
});

describe('Slack new messages', () => {
  /** A client recording each chat.postMessage with its channel and the clock's time. */
  function postingClient(clock: ManualClock) {
    const posts: { channel: string; at: number }[] = [];
    const client = {
      chat: {
        postMessage: async ({ channel }: { channel: string }) => {
          posts.push({ channel, at: clock.now().getTime() });
          return { ok: true, ts: `1764151201.${String(posts.length).padStart(6, '0')}` };
        },
      },
    };
    return { client: client as unknown as webApi.WebClient, posts };
  }
  const thread = (channel: string, n: number) => `slack:T1:${channel}:1764151200.${String(n).padStart(6, '0')}`;

  it('are paced per channel: a burst of two, then no more than two in any window, never throttled', async () => {
    const clock = new ManualClock();
    const { client, posts } = postingClient(clock);
    const surface = createSlackSurface({ client, clock, log: () => {} });
    // One after another, so each post's time is the clock's when it went (the clock moves only by waits).
    for (let n = 0; n < 40; n++) await surface.post(thread('C1', n), card(`q${n}`));
    const at = posts.map((p) => p.at);
    expect(at[1]).toBe(at[0]);
    expect(at[2]).toBeGreaterThan(at[0]!);
    for (let i = 0; i + 2 < at.length; i++) expect(at[i + 2]! - at[i]!).toBeGreaterThanOrEqual(1_250);
    for (let i = 0; i + 30 < at.length; i++) expect(at[i + 30]! - at[i]!).toBeGreaterThanOrEqual(35_000);
  });

  it('do not wait for another channel', async () => {
    const clock = new ManualClock();
    const { client, posts } = postingClient(clock);
    const surface = createSlackSurface({ client, clock, log: () => {} });
    await surface.post(thread('C1', 1), card('a'));
    await surface.post(thread('C1', 2), card('b'));
    const before = clock.now().getTime();
    await surface.post(thread('C2', 1), card('c'));
    expect(posts.at(-1)).toEqual({ channel: 'C2', at: before });
    await surface.post(thread('C1', 3), card('d'));
    expect(posts.at(-1)!.at - posts[0]!.at).toBeGreaterThanOrEqual(1_250);
  });
});

describe('Slack identities', () => {
  it('carry email, locale and configured groups, and ask Slack once per person and group', async () => {
    const { client, counts } = fakeClient();
    const ids = createIdentities({ client, clock: systemClock, groups: ['SAPPROVERS', 'SOTHERS'], log: () => {} });
    const bob = await ids.actor('UBOB');
    expect(bob).toEqual({
      platform: 'slack',
      userId: 'UBOB',
      displayName: 'Bob',
      directoryId: 'bob@contoso.com',
      locale: 'de-DE',
      groups: ['SAPPROVERS'],
    });
    await ids.actor('UBOB');
    expect(counts()).toEqual({ usersInfo: 1, groupLists: 2 });
  });

  it('still names the clicker when users.info fails, without guessing an email', async () => {
    const { client } = fakeClient();
    const warnings: string[] = [];
    const ids = createIdentities({ client, clock: systemClock, groups: [], log: (_l, m) => warnings.push(m) });
    expect(await ids.actor('UBROKEN', 'broken.user')).toEqual({
      platform: 'slack',
      userId: 'UBROKEN',
      displayName: 'broken.user',
    });
    expect(warnings).toHaveLength(1);
  });
});
