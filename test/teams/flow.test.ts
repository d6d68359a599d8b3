/**
 * The incident flow in Teams, end to end: HTTP POSTs of Teams-shaped activities to /api/messages on
 * 127.0.0.1 (insecure dev mode: no tokens), the engine on the lab, the Bot Connector on nock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { button, cardIn, textOf, titleOf } from './fake-teams.ts';
import { CHANNEL, fixture, PEOPLE, startTeams, THREAD } from './server.ts';
import type { TeamsServer } from './server.ts';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const restarts = (s: TeamsServer) => s.harness.gateway.ran.filter((op) => op.kind === 'restart-service');

async function diagnose(s: TeamsServer): Promise<string> {
  expect((await s.say("what's wrong with IMAP on server1?")).status).toBe(200);
  await s.settle();
  const [diag] = s.fake.find(/IMAP on SERVER1: problem confirmed/, THREAD);
  expect(diag, 'diagnosis card').toBeDefined();
  return diag!;
}

async function requestRestart(s: TeamsServer, diag: string): Promise<string> {
  const res = await s.click(button(s.fake.card(diag), /Restart MSExchangeIMAP4BE/), 'alice', diag);
  expect(res.status).toBe(200);
  await s.settle();
  const [approval] = s.fake.find(/Approval needed/, THREAD);
  expect(approval, 'approval card').toBeDefined();
  return approval!;
}

describe('Teams: the incident flow through /api/messages', () => {
  let s: TeamsServer;
  beforeEach(async () => {
    s = await startTeams();
  });
  afterEach(async () => {
    await s.close();
  });

  it('asks, requests, refuses self-approval to the requester alone, lets a second person approve, and resolves', async () => {
    const diag = await diagnose(s);
    // One card in the reply chain, posted once and then updated in place as probes finished.
    expect(s.fake.sends(THREAD)).toHaveLength(1);
    expect(s.fake.updates(diag).length).toBeGreaterThan(0);
    expect(textOf(s.fake.card(diag))).toMatch(/asked by Alice Admin/);

    const request = await s.click(button(s.fake.card(diag), /Restart MSExchangeIMAP4BE/), 'alice', diag);
    expect(request.status).toBe(200);
    expect(request.body).toMatchObject({ statusCode: 200, type: ADAPTIVE });
    expect(textOf(request.body.value)).toMatch(/Alice Admin requested approval: Restart MSExchangeIMAP4BE on MBX1/);
    await s.settle();
    const [approval] = s.fake.find(/Approval needed/, THREAD);
    expect(approval).toBeDefined();

    const before = s.fake.calls.length;
    const self = await s.click(button(s.fake.card(approval!), /^Approve$/), 'alice', approval!);
    expect(self).toMatchObject({ status: 200, body: { statusCode: 200, type: ADAPTIVE } });
    expect(textOf(self.body.value)).toMatch(/You can't approve or reject your own request/);
    expect(textOf(self.body.value)).toMatch(/Only you can see this\./);
    // The clicker still sees the approval card with its buttons under the banner.
    expect(textOf(self.body.value)).toMatch(/Approval needed: Restart MSExchangeIMAP4BE on MBX1/);
    await s.settle();
    // Nothing went to the channel: no post, no change of the card everyone sees.
    expect(s.fake.calls.slice(before).filter((c) => c.kind === 'send' || c.kind === 'create')).toEqual([]);
    expect(textOf(s.fake.card(approval!))).not.toMatch(/own request/);
    expect(restarts(s)).toHaveLength(0);

    const approved = await s.click(button(s.fake.card(approval!), /^Approve$/), 'bob', approval!);
    expect(approved.body).toMatchObject({ statusCode: 200, type: ADAPTIVE });
    expect(titleOf(approved.body.value as Record<string, unknown>)).toMatch(/Approved|Running|Done/);
    await s.settle();
    expect(restarts(s)).toHaveLength(1);
    expect(titleOf(s.fake.card(diag))).toMatch(/IMAP on SERVER1: resolved/);
    expect(titleOf(s.fake.card(approval!))).toMatch(/Done: Restart MSExchangeIMAP4BE on MBX1/);
    expect(textOf(s.fake.card(diag))).toMatch(/Approved by Bob Backup/);
    // Everything happened in the one reply chain: two cards, the rest updates in place, and at the
    // close the audit trail's anchor (a copy of its head outside the database).
    expect(s.fake.sends(THREAD)).toHaveLength(3);
    expect(s.fake.sends().length).toBe(3);
    expect(textOf(cardIn(s.fake.sends(THREAD)[2]!.body!))).toMatch(/healthbot audit verify --anchor \d+:[0-9a-f]{64}/);
    // The two-person rule ran on directory identities from the member lookup.
    const audit = await s.store.readAudit();
    const decided = audit.filter((r) => r.type === 'approval-decided');
    expect(decided.map((r) => r.actor?.directoryId)).toContain('bob@contoso.com');
  });

  it('runs nothing twice: a redelivered invoke and a double click by the approver', async () => {
    const diag = await diagnose(s);
    const approval = await requestRestart(s, diag);
    const approve = button(s.fake.card(approval), /^Approve$/);
    const first = await s.click(approve, 'bob', approval, { id: 'f:click-1' });
    expect(first.body.type).toBe(ADAPTIVE);
    // Teams redelivers the same invoke (same activity id) and Bob clicks again (a new invoke).
    const [redelivered, again] = await Promise.all([
      s.click(approve, 'bob', approval, { id: 'f:click-1' }),
      s.click(approve, 'bob', approval, { id: 'f:click-2' }),
    ]);
    expect(redelivered.body.type).toBe(ADAPTIVE);
    expect(textOf(redelivered.body.value)).not.toMatch(/Only you can see this/);
    expect(again.body.type).toBe(ADAPTIVE);
    expect(textOf(again.body.value)).toMatch(/Already approved by Bob Backup|You already approved this/);
    await s.settle();
    expect(restarts(s)).toHaveLength(1);
    // A redelivered message is answered once too.
    const sends = s.fake.sends().length;
    await s.say('status', 'alice', { id: 'm-status-1' });
    await s.say('status', 'alice', { id: 'm-status-1' });
    await s.settle();
    expect(s.fake.sends().length).toBe(sends + 1);
  });

  it('gives two people clicking the same card at once each their own answer', async () => {
    const diag = await diagnose(s);
    const approval = await requestRestart(s, diag);
    const approve = button(s.fake.card(approval), /^Approve$/);
    const [carol, bob] = await Promise.all([s.click(approve, 'carol', approval), s.click(approve, 'bob', approval)]);
    expect(textOf(carol.body.value)).toMatch(/You are not an approver/);
    expect(textOf(bob.body.value)).not.toMatch(/not an approver|Only you can see this/);
    await s.settle();
    expect(restarts(s)).toHaveLength(1);
  });

  it('answers follow-ups in the same reply chain, and treats another thread as another conversation', async () => {
    const diag = await diagnose(s);
    const sends = s.fake.sends(THREAD).length;
    await s.say('rerun the probe');
    await s.settle();
    // Rerun updates the same card; nothing new is posted.
    expect(s.fake.sends(THREAD)).toHaveLength(sends);
    expect(s.harness.gateway.ran.filter((op) => op.kind === 'invoke-probe').length).toBeGreaterThan(1);
    await s.say('status');
    await s.settle();
    expect(s.fake.sends(THREAD)).toHaveLength(sends + 1);
    expect(titleOf(cardIn(s.fake.sends(THREAD).at(-1)!.body!))).toMatch(/IMAP on SERVER1/);
    // Another reply chain in the same channel knows nothing of this incident.
    const other = `${CHANNEL};messageid=1732459999999`;
    await s.say('status', 'alice', { conversationId: other });
    await s.settle();
    expect(textOf(cardIn(s.fake.sends(other)[0]!.body!))).toMatch(/There is no diagnosis in this conversation/);
    expect(diag).toBeTruthy();
  });

  it('works in a personal chat, without a mention', async () => {
    await s.say('help', 'alice', { fixture: 'message-personal' });
    await s.settle();
    const personal = (fixture('message-personal').conversation as { id: string }).id;
    const [help] = s.fake.sends(personal);
    expect(titleOf(cardIn(help!.body!))).toMatch(/What I can do/);
  });

  it('works in a group chat, in the language of the activity (German)', async () => {
    await s.say('was ist mit IMAP auf server1 los?', 'dave', { fixture: 'message-groupchat' });
    await s.settle();
    const chat = (fixture('message-groupchat').conversation as { id: string }).id;
    const [card] = s.fake.sends(chat);
    expect(titleOf(cardIn(card!.body!))).toMatch(/IMAP auf SERVER1/);
    const id = s.fake.find(/IMAP auf SERVER1: Problem bestätigt/, chat)[0]!;
    // A German click gets the adapter's own words in German too.
    const res = await s.click(button(s.fake.card(id), /neu starten/), 'carol', id, {
      conversationId: chat,
      locale: 'de-DE',
    });
    expect(textOf(res.body.value)).toMatch(/Nur für dich sichtbar/);
  });

  it('answers a click in the language of the activity (Japanese): the refusal and the adapter’s own words', async () => {
    const diag = await diagnose(s);
    const approval = await requestRestart(s, diag);
    const res = await s.click(button(s.fake.card(approval), /^Approve$/), 'carol', approval, { locale: 'ja-JP' });
    expect(textOf(res.body.value)).toMatch(/あなたは承認者ではないため/);
    expect(textOf(res.body.value)).toMatch(/このメッセージはあなただけに表示されています/);
  });

  it('handles the Action.Submit fallback of older clients as a click, with refusals sent privately', async () => {
    const diag = await diagnose(s);
    const step = button(s.fake.card(diag), /Restart MSExchangeIMAP4BE/);
    const submit = {
      ...fixture('message-action-submit'),
      id: 'submit-1',
      replyToId: diag,
      value: { healthbotAction: step },
    };
    expect((await s.post(submit)).status).toBe(200);
    await s.settle();
    const [approval] = s.fake.find(/Approval needed/, THREAD);
    expect(approval).toBeDefined();
    // Carol (not an approver) clicks Approve through the fallback: no invoke to answer on, so the
    // refusal goes to her personal chat with the bot, never to the channel.
    const before = s.fake.calls.length;
    const carol = {
      ...fixture('message-action-submit'),
      id: 'submit-2',
      from: { id: PEOPLE.carol.id, name: PEOPLE.carol.name, aadObjectId: PEOPLE.carol.aadObjectId },
      replyToId: approval,
      value: { healthbotAction: button(s.fake.card(approval!), /^Approve$/) },
    };
    expect((await s.post(carol)).status).toBe(200);
    await s.settle();
    const after = s.fake.calls.slice(before);
    expect(after.filter((c) => c.kind === 'send' && c.conversationId === THREAD)).toEqual([]);
    const create = after.find((c) => c.kind === 'create');
    expect(create?.body).toMatchObject({
      isGroup: false,
      members: [{ id: PEOPLE.carol.id }],
      bot: { id: '28:5b07a1c2-3d4e-4f50-8a61-b72c83d94e05' },
    });
    const dm = after.find((c) => c.kind === 'send' && c.conversationId.startsWith('a:personal-'));
    expect(textOf(cardIn(dm!.body!))).toMatch(/You are not an approver/);
  });

  it('acts without a directory identity when the member lookup fails, and says so in the log', async () => {
    s.fake.roster.delete(PEOPLE.bob.id);
    const diag = await diagnose(s);
    const approval = await requestRestart(s, diag);
    // The policy names approvers by UPN; without it Bob is not recognised (and is told so).
    const res = await s.click(button(s.fake.card(approval), /^Approve$/), 'bob', approval);
    expect(textOf(res.body.value)).toMatch(/You are not an approver/);
    expect(s.logs.some((l) => l.level === 'warn' && /member lookup failed/.test(l.msg))).toBe(true);
    await s.settle();
    expect(restarts(s)).toHaveLength(0);
  });

  it('looks each person up once while the cache holds, and again after it expires', async () => {
    await diagnose(s);
    await s.say('status');
    await s.settle();
    const lookups = () => s.fake.calls.filter((c) => c.kind === 'member' && c.memberId === PEOPLE.alice.id);
    expect(lookups()).toHaveLength(1);
    // The team's roster is asked in a channel, not the reply chain.
    expect(lookups()[0]!.conversationId).toBe(
      (fixture('message-channel-mention').channelData as { team: { id: string } }).team.id,
    );
    s.harness.clock.advance(11 * 60_000);
    await s.say('status');
    await s.settle();
    expect(lookups()).toHaveLength(2);
  });
});
