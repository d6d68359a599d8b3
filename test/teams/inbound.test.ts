/**
 * Reading Teams activities (the fixtures are shaped like Microsoft's documented examples):
 * the question without the bot's mention, clicks from both kinds of button, the bot being added,
 * and conversation references.
 */
import { describe, expect, it } from 'vitest';
import type { TeamsActivity } from '../../adapters/teams/inbound.ts';
import {
  botWasAdded,
  executedActionId,
  isAlertsHere,
  looksLikeActivity,
  messageText,
  placeOf,
  readActivity,
  submittedActionId,
} from '../../adapters/teams/inbound.ts';
import {
  baseConversationId,
  decodeRef,
  encodeRef,
  ownsRef,
  threadConversationId,
} from '../../adapters/teams/conversation-ref.ts';
import { fixture, TEAM, THREAD } from './server.ts';

const activity = (name: string, patch: Record<string, unknown> = {}) => readActivity({ ...fixture(name), ...patch })!;

describe('Teams activities', () => {
  it('reads every fixture as an activity, and refuses bodies that are not', () => {
    for (const name of [
      'message-channel-mention',
      'message-personal',
      'message-groupchat',
      'invoke-action-execute',
      'message-action-submit',
      'conversation-update-bot-added',
      'installation-update-add',
    ]) {
      expect(readActivity(fixture(name)), name).toBeDefined();
    }
    expect(looksLikeActivity({ persona: 'alice', text: 'hi' })).toBe(false);
    expect(readActivity({ ...fixture('message-personal'), from: { name: 'no id' } })).toBeUndefined();
    expect(readActivity({ ...fixture('message-personal'), conversation: { id: 'x'.repeat(600) } })).toBeUndefined();
    expect(readActivity({ ...fixture('message-personal'), conversation: { id: 'a b' } })).toBeUndefined();
    expect(readActivity(null)).toBeUndefined();
  });

  it("takes the bot's mention out of the question, however it is written", () => {
    expect(messageText(activity('message-channel-mention'))).toBe("what's wrong with IMAP on server1?");
    expect(messageText(activity('message-groupchat'))).toBe('was ist mit IMAP auf server1 los?');
    expect(messageText(activity('message-personal'))).toBe('help');
    // In the middle, with a non-breaking space and formatting, and without a mention entity.
    expect(
      messageText(
        activity('message-channel-mention', { text: 'is <at>Healthbot</at>&nbsp;<b>sure</b> about server1?' }),
      ),
    ).toBe('is sure about server1?');
    expect(messageText(activity('message-channel-mention', { text: '<at>Healthbot</at> rerun', entities: [] }))).toBe(
      'rerun',
    );
    // Other people's mentions become their names; nothing else is dropped.
    expect(
      messageText(activity('message-channel-mention', { text: '<at>Healthbot</at> ask <at>Bob Backup</at> &amp; me' })),
    ).toBe('ask Bob Backup & me');
    expect(messageText(activity('message-channel-mention', { text: undefined }))).toBe('');
    expect(messageText(activity('message-channel-mention', { text: 'x'.repeat(10_000) })).length).toBe(4000);
  });

  it('finds the action id of an Action.Execute click and of its Action.Submit fallback, and nothing else', () => {
    const invoke = activity('invoke-action-execute');
    expect(executedActionId(invoke)).toBe('REPLACED-BY-TEST');
    expect(submittedActionId(activity('message-action-submit'))).toBe('REPLACED-BY-TEST');
    expect(submittedActionId(activity('message-channel-mention'))).toBeUndefined();
    expect(
      executedActionId({
        ...invoke,
        value: { action: { type: 'Action.Submit', data: { healthbotAction: 'x' } } },
      } as TeamsActivity),
    ).toBeUndefined();
    expect(
      executedActionId({
        ...invoke,
        value: { action: { type: 'Action.Execute', data: { healthbotAction: 'x'.repeat(201) } } },
      } as TeamsActivity),
    ).toBeUndefined();
    expect(
      executedActionId({
        ...invoke,
        value: { action: { type: 'Action.Execute', data: { healthbotAction: 42 } } },
      } as TeamsActivity),
    ).toBeUndefined();
    expect(executedActionId({ ...invoke, value: 'x' } as TeamsActivity)).toBeUndefined();
  });

  it('knows where a conversation lives, and when the bot itself was added', () => {
    expect(placeOf(activity('message-channel-mention'))).toEqual({
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      botId: '28:5b07a1c2-3d4e-4f50-8a61-b72c83d94e05',
      tenantId: '7e57e000-0000-4000-8000-00000000c0de',
      conversationType: 'channel',
      teamId: TEAM,
    });
    expect(placeOf(activity('message-personal')).teamId).toBeUndefined();
    expect(botWasAdded(activity('conversation-update-bot-added'))).toBe(true);
    expect(botWasAdded(activity('installation-update-add'))).toBe(true);
    expect(botWasAdded(activity('installation-update-add', { action: 'remove' }))).toBe(false);
    expect(botWasAdded(activity('conversation-update-bot-added', { membersAdded: [{ id: '29:someone' }] }))).toBe(
      false,
    );
    expect(botWasAdded(activity('message-personal'))).toBe(false);
  });

  it('recognises "alerts here" in English and German only as the whole message', () => {
    for (const yes of ['alerts here', 'Alert here.', 'ALERTS HERE!', 'Alarme hier', 'Meldungen hierher'])
      expect(isAlertsHere(yes), yes).toBe(true);
    for (const no of ['alerts here please', 'what alerts are here?', 'alerts', 'here'])
      expect(isAlertsHere(no), no).toBe(false);
  });

  it('encodes conversation references with the reply chain, for this adapter only', () => {
    const ref = encodeRef(THREAD);
    expect(ref).toBe(`teams:${THREAD}`);
    expect(ownsRef(ref)).toBe(true);
    expect(ownsRef('web:abc')).toBe(false);
    expect(ownsRef('teams:')).toBe(false);
    expect(decodeRef(ref)).toBe(THREAD);
    expect(() => decodeRef('slack:C1:1.2')).toThrow(/not a Teams conversation reference/);
    expect(baseConversationId(THREAD)).toBe(THREAD.split(';')[0]);
    expect(threadConversationId(THREAD, '42')).toBe(`${THREAD.split(';')[0]};messageid=42`);
  });
});
