/**
 * The whole incident flow in a Slack channel, through signed HTTP requests to the adapter and the
 * Web API played by nock: ask, request, self-approval refused (ephemerally), second person
 * approves, resolved, with the trail left in the thread.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackWorld } from './world.ts';
import type { EventEnvelope } from './world.ts';
import { buttonValue, clickPayload, fixture, headerOf, startSlackWorld } from './world.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const MENTION_TS = '1764151200.000100';

function clickOn(card: { ts: string }, value: string, user: string, actionTs = `${Date.now() / 1000}`) {
  return clickPayload({ messageTs: card.ts, threadTs: MENTION_TS, value, user, actionTs });
}

describe('Slack: the incident flow', () => {
  it('mention, request, self-approval refused to alice only, bob approves, resolved in the thread', async () => {
    world = await startSlackWorld('imap-backend-hang');
    const w = world;
    expect((await w.event(fixture('app_mention'))).status).toBe(200);

    const diagnosis = await w.until('diagnosis card', () =>
      w.cards().find((c) => /problem confirmed/.test(headerOf(c.blocks))),
    );
    const posted = w.calls.find((c) => c.method === 'chat.postMessage')!;
    expect(posted.args).toMatchObject({ channel: 'CINCIDENTS', thread_ts: MENTION_TS });
    expect(w.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1); // one card, updated in place

    await w.click(clickOn(diagnosis, buttonValue(diagnosis.blocks, /Restart MSExchangeIMAP4BE on MBX1/), 'UALICE'));
    const approval = await w.until('approval card', () =>
      w.cards().find((c) => /Approval needed/.test(headerOf(c.blocks))),
    );
    const approve = buttonValue(approval.blocks, /^Approve$/);

    await w.click(clickOn(approval, approve, 'UALICE'));
    const ephemeral = await w.until('refusal', () => w.calls.find((c) => c.method === 'chat.postEphemeral'));
    expect(ephemeral.args).toMatchObject({ channel: 'CINCIDENTS', user: 'UALICE', thread_ts: MENTION_TS });
    expect(ephemeral.args.blocks).toMatch(/your own request/);
    expect(w.harness.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);

    await w.click(clickOn(approval, approve, 'UBOB'));
    const resolved = await w.until('resolved', () =>
      w.cards().find((c) => c.ts === diagnosis.ts && /resolved/.test(headerOf(c.blocks))),
    );
    expect(JSON.stringify(resolved.blocks)).toMatch(/Approved by Bob/);
    expect(w.harness.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
    // Everything stayed in the question's thread.
    for (const c of w.calls.filter((x) => x.method === 'chat.postMessage' || x.method === 'chat.postEphemeral'))
      expect(c.args.thread_ts).toBe(MENTION_TS);
    // users.info once per person, however many clicks.
    expect(
      w.calls
        .filter((c) => c.method === 'users.info')
        .map((c) => c.args.user)
        .sort(),
    ).toEqual(['UALICE', 'UBOB']);
  });

  it('answers a follow-up in the thread, and ignores channel chatter outside its threads', async () => {
    world = await startSlackWorld('imap-transient');
    const w = world;
    await w.event(fixture('app_mention'));
    await w.until('first answer', () => w.cards().find((c) => /IMAP on SERVER1/.test(headerOf(c.blocks))));
    await w.adapter.surface.flush();
    const answers = () => w.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update').length;
    const before = answers();
    const reruns = () => w.harness.gateway.ran.filter((op) => op.kind === 'invoke-probe').length;
    const probesBefore = reruns();
    const followUp = fixture<EventEnvelope>('message_thread');
    await w.event(followUp);
    await w.until('answer to rerun', () => (answers() > before && reruns() > probesBefore ? true : undefined));
    await w.adapter.idle();
    const elsewhere = {
      ...followUp,
      event_id: 'Ev0OTHER',
      event: { ...followUp.event, thread_ts: '1764150000.000001', ts: '1764151270.000001' },
    };
    const count = w.calls.length;
    expect((await w.event(elsewhere)).status).toBe(200);
    await w.adapter.idle();
    expect(w.calls.slice(count).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('answers a direct message in the writer’s language', async () => {
    world = await startSlackWorld('imap-backend-hang');
    const w = world;
    const dm = fixture<EventEnvelope>('message_im');
    await w.event({ ...dm, event: { ...dm.event, user: 'UDAVE' } });
    const card = await w.until('answer', () => w.cards().find((c) => /IMAP auf SERVER1/.test(headerOf(c.blocks))));
    expect(w.calls.find((c) => c.method === 'chat.postMessage')!.args).toMatchObject({
      channel: 'DALICE',
      thread_ts: dm.event.ts,
    });
    expect(card.text).toMatch(/IMAP auf SERVER1/);
  });

  it('echoes a slash command in the French of the asker’s profile (fr-FR), the question as typed', async () => {
    world = await startSlackWorld('imap-backend-hang');
    const w = world;
    await w.command({ ...fixture<Record<string, string>>('slash_command'), user_id: 'UELOISE', user_name: 'eloise' });
    const echo = await w.until('echo', () => w.calls.find((c) => c.method === 'chat.postMessage'));
    expect(echo.args.text).toBe('Éloïse a demandé : imap on server1');
  });

  it('answers a click in the clicker’s language from their profile (Japanese)', async () => {
    world = await startSlackWorld('imap-backend-hang');
    const w = world;
    await w.event(fixture('app_mention'));
    const diagnosis = await w.until('diagnosis card', () =>
      w.cards().find((c) => /problem confirmed/.test(headerOf(c.blocks))),
    );
    await w.click(clickOn(diagnosis, buttonValue(diagnosis.blocks, /Restart MSExchangeIMAP4BE on MBX1/), 'UALICE'));
    const approval = await w.until('approval card', () =>
      w.cards().find((c) => /Approval needed/.test(headerOf(c.blocks))),
    );
    await w.click(clickOn(approval, buttonValue(approval.blocks, /^Approve$/), 'UJUN'));
    const ephemeral = await w.until('refusal', () => w.calls.find((c) => c.method === 'chat.postEphemeral'));
    expect(ephemeral.args).toMatchObject({ user: 'UJUN' });
    expect(ephemeral.args.blocks).toMatch(/実行できません.*あなたは承認者ではないため/);
    expect(w.harness.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);
  });

  it('/healthbot echoes the question into the channel and answers in its thread; outside its channels it says how to invite it', async () => {
    world = await startSlackWorld('imap-backend-hang');
    const w = world;
    const res = await w.command(fixture('slash_command'));
    expect(res.status).toBe(200);
    const echo = await w.until('echo', () => w.calls.find((c) => c.method === 'chat.postMessage'));
    expect(echo.args.text).toBe('Alice asked: imap on server1');
    expect(echo.args.thread_ts).toBeUndefined();
    await w.until('answer in the echo thread', () =>
      w.calls.find((c) => c.method === 'chat.postMessage' && c.args.thread_ts === echo.reply.ts),
    );

    // A replayed slash command (the same trigger, signed again) posts nothing more (issue 18, fault 17).
    const posted = () =>
      w.calls.filter((c) => c.method === 'chat.postMessage' && c.args.text === 'Alice asked: imap on server1').length;
    expect((await w.command(fixture('slash_command'))).status).toBe(200);
    await w.adapter.idle();
    expect(posted()).toBe(1);

    w.override('chat.postMessage', [[200, { ok: false, error: 'not_in_channel' }]]);
    const respond = await import('nock').then(({ default: nock }) =>
      nock('https://hooks.slack.com').post('/commands/T0HB1/1/xyz').reply(200, 'ok'),
    );
    await w.command({
      ...fixture<Record<string, string>>('slash_command'),
      channel_id: 'CELSEWHERE',
      trigger_id: '2.2.2',
    });
    await w.until('ephemeral hint', () => (respond.isDone() ? true : undefined));
  });
});
