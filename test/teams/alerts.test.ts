/**
 * Alerts into a channel: where they go (captured on install, chosen with "alerts here"), sending
 * one as a new thread, following up under it, and what happens when nothing was chosen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/core/index.ts';
import { NoAlertChannelError, createTeamsAdapter } from '../../adapters/teams/index.ts';
import { ALERTS_KEY } from '../../adapters/teams/alerts.ts';
import { cardIn, textOf, titleOf } from './fake-teams.ts';
import { CHANNEL, fixture, PEOPLE, startTeams, TEAM, THREAD } from './server.ts';
import type { TeamsServer } from './server.ts';
import { adapterTexts } from '../support/texts.ts';

let s: TeamsServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const alert: Card = {
  kind: 'diagnosis',
  title: 'OWA on SERVER2: unhealthy since 03:12',
  severity: 'critical',
  facts: [{ label: 'Failing', value: 'OWACtpMonitor' }],
  sections: [],
  actions: [],
};

describe('Teams alerts', () => {
  it("captures the team's channel when the bot is added, and does not move it for a second team", async () => {
    s = await startTeams();
    expect((await s.post(fixture('conversation-update-bot-added'))).status).toBe(200);
    await s.settle();
    expect(await s.store.getValue(ALERTS_KEY)).toMatchObject({
      conversationId: TEAM,
      conversationType: 'channel',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
    });
    const otherTeam = '19:ffffffffffffffffffffffffffffffff@thread.tacv2';
    await s.post({
      ...fixture('installation-update-add'),
      conversation: { ...(fixture('installation-update-add').conversation as object), id: otherTeam },
    });
    await s.settle();
    expect(await s.store.getValue(ALERTS_KEY)).toMatchObject({ conversationId: TEAM });
    // Someone else joining a team is not the bot being added.
    const member = {
      ...fixture('conversation-update-bot-added'),
      id: 'f:member',
      membersAdded: [{ id: PEOPLE.bob.id }],
    };
    expect((await s.post(member)).status).toBe(200);
  });

  it('never captures a personal chat on its own', async () => {
    s = await startTeams();
    const personal = fixture('message-personal');
    await s.post({
      ...fixture('installation-update-add'),
      conversation: personal.conversation,
      channelData: personal.channelData,
    });
    await s.settle();
    expect(await s.store.getValue(ALERTS_KEY)).toBeUndefined();
  });

  it('"alerts here" moves alerts to this channel, confirms in the thread, and runs once per delivery', async () => {
    s = await startTeams();
    await s.post(fixture('conversation-update-bot-added'));
    await s.settle();
    await s.say('alerts here', 'alice', { id: 'alerts-1' });
    await s.say('alerts here', 'alice', { id: 'alerts-1' });
    await s.settle();
    expect(await s.store.getValue(ALERTS_KEY)).toMatchObject({ conversationId: CHANNEL, setBy: 'alice@contoso.com' });
    const confirmations = s.fake.sends(THREAD);
    expect(confirmations).toHaveLength(1);
    expect(titleOf(cardIn(confirmations[0]!.body!))).toBe('✅ Alerts will be posted here from now on.');
    // The engine never saw it as a question.
    expect(s.harness.gateway.ran).toEqual([]);
  });

  it('"alerts here" is claimed through the engine\'s one de-duplication path, not by the adapter on its own', async () => {
    const claims: string[] = [];
    s = await startTeams({ engine: (real) => ({ ...real, claim: (id) => (claims.push(id), real.claim(id)) }) });
    await s.post(fixture('conversation-update-bot-added'));
    await s.settle();
    await s.say('alerts here', 'alice', { id: 'alerts-2' });
    await s.say('alerts here', 'alice', { id: 'alerts-2' });
    await s.settle();
    expect(claims).toEqual(['teams:alerts-2', 'teams:alerts-2']);
    expect(s.fake.sends(THREAD)).toHaveLength(1);
  });

  it('understands the German command and answers in German', async () => {
    s = await startTeams();
    await s.say('Alarme hier', 'dave', { fixture: 'message-groupchat' });
    await s.settle();
    const chat = (fixture('message-groupchat').conversation as { id: string }).id;
    expect(titleOf(cardIn(s.fake.sends(chat)[0]!.body!))).toMatch(/Alarme werden ab jetzt hier gepostet/);
    expect(await s.store.getValue(ALERTS_KEY)).toMatchObject({ conversationId: chat, conversationType: 'groupChat' });
  });

  it('refuses "alerts here" to people the composition root does not allow, privately', async () => {
    s = await startTeams({ canSetAlerts: (actor) => actor.directoryId === 'alice@contoso.com' });
    await s.post(fixture('conversation-update-bot-added'));
    await s.settle();
    await s.say('alerts here', 'carol');
    await s.settle();
    expect(await s.store.getValue(ALERTS_KEY)).toMatchObject({ conversationId: TEAM });
    expect(s.fake.sends(THREAD)).toEqual([]);
    expect(titleOf(cardIn(s.fake.sends(`a:personal-${PEOPLE.carol.id}`)[0]!.body!))).toMatch(
      /may not change where alerts are posted/,
    );
  });

  it('sends an alert as a new thread in the channel, and a follow-up under it reaches the engine in that thread', async () => {
    s = await startTeams();
    await s.say('alerts here');
    await s.settle();
    const sent = await s.adapter.postAlert(alert);
    const post = s.fake.calls.find((c) => c.kind === 'send' && c.conversationId === CHANNEL);
    expect(post).toBeDefined();
    expect(titleOf(cardIn(post!.body!))).toBe('🔴 OWA on SERVER2: unhealthy since 03:12');
    expect(sent).toEqual({
      conversation: `teams:${CHANNEL};messageid=${sent.messageRef}`,
      messageRef: sent.messageRef,
    });
    expect(s.adapter.owns(sent.conversation)).toBe(true);
    // Someone replies under the alert: the reply chain is the conversation postAlert returned.
    await s.say('help', 'bob', { conversationId: `${CHANNEL};messageid=${sent.messageRef}` });
    await s.settle();
    expect(textOf(cardIn(s.fake.sends(`${CHANNEL};messageid=${sent.messageRef}`)[0]!.body!))).toMatch(/What I can do/);
    // And the card of an alert can be updated in place like any other.
    await s.adapter.surface.update(sent.conversation, sent.messageRef, {
      ...alert,
      title: 'OWA on SERVER2: resolved',
      severity: 'ok',
    });
    expect(titleOf(s.fake.card(sent.messageRef))).toBe('✅ OWA on SERVER2: resolved');
  });

  it('says clearly that no conversation receives alerts yet', async () => {
    s = await startTeams();
    await expect(s.adapter.postAlert(alert)).rejects.toBeInstanceOf(NoAlertChannelError);
    await expect(s.adapter.postAlert(alert)).rejects.toThrow(/alerts here/);
  });

  it('still knows where alerts go after a restart (the target lives in the store)', async () => {
    s = await startTeams();
    await s.post(fixture('conversation-update-bot-added'));
    await s.settle();
    const restarted = createTeamsAdapter({
      texts: adapterTexts('teams'),
      engine: { handle: async () => {}, claim: async () => true },
      store: s.store,
      clock: s.harness.clock,
      log: () => {},
      config: { appId: '', insecureDev: true },
    });
    const sent = await restarted.postAlert(alert);
    expect(sent.conversation).toBe(`teams:${TEAM};messageid=${sent.messageRef}`);
    expect(s.fake.calls.filter((c) => c.kind === 'send' && c.conversationId === TEAM)).toHaveLength(1);
    await restarted.close();
  });
});
