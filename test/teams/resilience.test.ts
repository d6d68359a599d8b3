/**
 * The Bot Connector misbehaving under the real adapter: throttling, gateway errors, refusals.
 * Also proves the SDK's own retry policy is out of the way: one retry layer, on the injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cardIn, textOf, titleOf } from './fake-teams.ts';
import { PEOPLE, startTeams, THREAD } from './server.ts';
import type { TeamsServer } from './server.ts';

let s: TeamsServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('Teams outgoing calls under failure', () => {
  it('waits out a 429 for as long as Retry-After says, then posts once (no second retry layer)', async () => {
    s = await startTeams();
    s.fake.fail({ kind: 'send', status: 429, headers: { 'Retry-After': '2' } });
    const start = s.harness.clock.now().getTime();
    await s.say('help');
    await s.settle();
    const attempts = s.fake.sends(THREAD);
    expect(attempts).toHaveLength(2);
    expect(s.fake.find(/What I can do/, THREAD)).toHaveLength(1);
    // The wait was on the injected clock: a manual clock moves only when something sleeps on it,
    // so a real two-second timer would leave it where it was (no wall-clock bound needed).
    expect(s.harness.clock.now().getTime() - start).toBeGreaterThanOrEqual(2000);
  });

  it('retries updates through 502 and 504 and ends with the right card', async () => {
    s = await startTeams();
    s.fake.fail({ kind: 'update', status: 502, times: 2 });
    s.fake.fail({ kind: 'update', status: 504 });
    await s.say("what's wrong with IMAP on server1?");
    await s.settle();
    const [diag] = s.fake.find(/problem confirmed/, THREAD);
    expect(titleOf(s.fake.card(diag!))).toMatch(/IMAP on SERVER1: problem confirmed/);
    expect(s.logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('does not retry a 403; the person is told privately that it failed, and the failure is audited', async () => {
    s = await startTeams();
    s.fake.fail({ kind: 'send', status: 403 });
    const res = await s.say('help');
    expect(res.status).toBe(200);
    await s.settle();
    const toThread = s.fake.sends(THREAD);
    expect(toThread).toHaveLength(1);
    const dm = s.fake.sends(`a:personal-${PEOPLE.alice.id}`);
    expect(dm).toHaveLength(1);
    expect(titleOf(cardIn(dm[0]!.body!))).toMatch(/chat platform did not accept/);
    // The engine recorded the failure in the audit trail; the adapter did not have to.
    expect((await s.store.readAudit()).some((r) => r.type === 'error')).toBe(true);
  });

  it('lets go of a card that was deleted in Teams (404 on update) without troubling anyone', async () => {
    s = await startTeams();
    await s.say("what's wrong with IMAP on server1?");
    await s.settle();
    const [diag] = s.fake.find(/problem confirmed/, THREAD);
    s.fake.fail({ kind: 'update', status: 404, times: 5 });
    await s.say('rerun the probe');
    await s.settle();
    expect(s.logs.some((l) => l.level === 'warn' && /no longer exists/.test(l.msg))).toBe(true);
    // One attempt per update (404 is final), and no notice about a failure to anyone.
    expect(s.fake.calls.filter((c) => c.kind === 'create')).toEqual([]);
    expect((await s.store.readAudit()).some((r) => r.type === 'error')).toBe(false);
    expect(diag).toBeDefined();
  });

  it('survives a throttled member lookup: retried, then the person acts with their directory identity', async () => {
    s = await startTeams();
    s.fake.fail({ kind: 'member', status: 429, headers: { 'Retry-After': '1' } });
    await s.say("what's wrong with IMAP on server1?");
    await s.settle();
    const audit = await s.store.readAudit();
    expect(audit.find((r) => r.type === 'command')?.actor?.directoryId).toBe('alice@contoso.com');
    expect(s.fake.calls.filter((c) => c.kind === 'member')).toHaveLength(2);
  });

  it('keeps a diagnosis card to a handful of updates however fast the engine reports progress', async () => {
    s = await startTeams({ scenario: 'server1-many-failures' });
    await s.say("what's wrong with server1?");
    await s.settle();
    const [diag] = s.fake.find(/SERVER1/, THREAD);
    expect(diag).toBeDefined();
    expect(s.fake.updates(diag!).length).toBeLessThanOrEqual(12);
    expect(textOf(s.fake.card(diag!))).not.toMatch(/probes \d+\/\d+ done/);
  });
});
