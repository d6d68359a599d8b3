/**
 * Answering clicks within Teams' time limit when the engine is slow, broken, or the card is not
 * known to this process; and notices that come too late for the click's answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEngine } from '../../src/core/index.ts';
import { button, textOf, titleOf } from './fake-teams.ts';
import { PEOPLE, startTeams, THREAD } from './server.ts';
import type { TeamsServer } from './server.ts';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An engine whose clicks wait until the test lets them go, one `release()` per click in order of
 * arrival (released after the click was answered, the answer can only be the "working" one): no
 * real pause, and no race with the budget's timer, whenever the click reaches the engine.
 */
function heldClicks() {
  let arrived = 0;
  let allowed = 0;
  const waiting: { readonly index: number; readonly go: () => void }[] = [];
  const engine = (real: ChatEngine): ChatEngine => ({
    ...real,
    handle: async (event, reply) => {
      if (event.kind === 'action') {
        const index = arrived++;
        if (index >= allowed) await new Promise<void>((go) => waiting.push({ index, go }));
      }
      return real.handle(event, reply);
    },
  });
  const release = () => {
    allowed++;
    for (const w of waiting.filter((x) => x.index < allowed)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.go();
    }
  };
  return { engine, release };
}

let s: TeamsServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function diagnosed(server: TeamsServer): Promise<string> {
  await server.say("what's wrong with IMAP on server1?");
  await server.settle();
  return server.fake.find(/problem confirmed/, THREAD)[0]!;
}

describe('answering a click in time', () => {
  it('answers "working" on the clicked card when the engine takes longer than the budget, and updates the card for everyone after', async () => {
    const held = heldClicks();
    s = await startTeams({ invokeBudgetMs: 100, engine: held.engine });
    const diag = await diagnosed(s);
    const res = await s.click(button(s.fake.card(diag), /Restart MSExchangeIMAP4BE/), 'alice', diag);
    held.release();
    // The answer came before the engine was done (it says "working"), not after a wall-clock bound.
    expect(res.body.type).toBe(ADAPTIVE);
    expect(textOf(res.body.value)).toMatch(/^Working on it… this card updates for everyone when it is done\./);
    expect(textOf(res.body.value)).toMatch(/IMAP on SERVER1: problem confirmed/);
    await s.settle();
    expect(s.fake.find(/Approval needed/, THREAD)).toHaveLength(1);
    expect(textOf(s.fake.card(diag))).toMatch(/Alice Admin requested approval/);
  });

  it("sends a refusal that comes after the answer to the clicker's personal chat, never to the channel", async () => {
    const held = heldClicks();
    s = await startTeams({ invokeBudgetMs: 100, engine: held.engine });
    const diag = await diagnosed(s);
    await s.click(button(s.fake.card(diag), /Restart MSExchangeIMAP4BE/), 'alice', diag);
    held.release();
    await s.settle();
    const approval = s.fake.find(/Approval needed/, THREAD)[0]!;
    const before = s.fake.calls.length;
    const res = await s.click(button(s.fake.card(approval), /^Approve$/), 'alice', approval);
    held.release();
    expect(textOf(res.body.value)).toMatch(/Working on it/);
    await s.settle();
    const later = s.fake.calls.slice(before);
    expect(later.filter((c) => c.kind === 'send' && c.conversationId === THREAD)).toEqual([]);
    expect(later.find((c) => c.kind === 'create')?.body).toMatchObject({ members: [{ id: PEOPLE.alice.id }] });
    const dm = later.find((c) => c.kind === 'send' && c.conversationId === `a:personal-${PEOPLE.alice.id}`);
    expect(textOf(dm?.body)).toMatch(/can't approve or reject your own request/);
    // A second late notice reuses the personal chat instead of opening another.
    await s.click(button(s.fake.card(approval), /^Approve$/), 'alice', approval);
    held.release();
    await s.settle();
    expect(s.fake.calls.filter((c) => c.kind === 'create')).toHaveLength(1);
  });

  it('answers with the card and a banner when the engine fails, and logs the failure', async () => {
    const broken = (real: ChatEngine): ChatEngine => ({
      ...real,
      handle: async (event, reply) => {
        if (event.kind === 'action') throw new Error('store is down');
        return real.handle(event, reply);
      },
    });
    s = await startTeams({ engine: broken });
    const diag = await diagnosed(s);
    const res = await s.click(button(s.fake.card(diag), /Rerun/), 'alice', diag);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe(ADAPTIVE);
    expect(textOf(res.body.value)).toMatch(
      /^Healthbot could not handle that click\. Try again in a moment\.\nOnly you can see this\./,
    );
    await s.settle();
    expect(s.logs.some((l) => l.level === 'error' && /card click failed/.test(l.msg))).toBe(true);
  });

  it('answers with a short message when this process does not know the clicked card', async () => {
    s = await startTeams();
    const diag = await diagnosed(s);
    await s.click(button(s.fake.card(diag), /Restart MSExchangeIMAP4BE/), 'alice', diag);
    await s.settle();
    const approval = s.fake.find(/Approval needed/, THREAD)[0]!;
    // As if the card had been posted by another replica or before a restart.
    const unknown = 'posted-elsewhere-1';
    const refused = await s.click(button(s.fake.card(approval), /^Approve$/), 'alice', unknown);
    expect(refused.body).toEqual({
      statusCode: 200,
      type: MESSAGE,
      value:
        "Not possible · You can't approve or reject your own request: a second person has to decide. (You can withdraw it.)",
    });
    const rerun = await s.click(button(s.fake.card(diag), /Rerun/), 'alice', unknown);
    expect(rerun.body).toEqual({ statusCode: 200, type: MESSAGE, value: 'Got it.' });
    await s.settle();
    expect(titleOf(s.fake.card(diag))).toMatch(/problem confirmed/);
  });

  it('answers a click before the questions that wait their turn (clicks go first)', async () => {
    const started: string[] = [];
    const slowMessages = (real: ChatEngine): ChatEngine => ({
      ...real,
      handle: async (event, reply) => {
        started.push(event.kind === 'message' ? event.text : 'click');
        if (event.kind === 'message' && event.text === 'status') await pause(250);
        return real.handle(event, reply);
      },
    });
    s = await startTeams({ engine: slowMessages, extra: { concurrency: 1 } });
    const diag = await diagnosed(s);
    for (let i = 0; i < 6; i++) expect((await s.say('status', 'bob')).status).toBe(200);
    const res = await s.click(button(s.fake.card(diag), /Rerun/), 'alice', diag);
    // The click overtook questions that were queued before it: it started while some still waited.
    const click = started.indexOf('click');
    expect(click).toBeGreaterThan(-1);
    expect(started.slice(0, click).filter((t) => t === 'status').length).toBeLessThan(6);
    expect(res.body.type).toBe(ADAPTIVE);
    expect(textOf(res.body.value)).not.toMatch(/Working on it/);
    await s.settle();
  });

  it("speaks the clicker's language in its own words", async () => {
    const held = heldClicks();
    s = await startTeams({ invokeBudgetMs: 50, engine: held.engine });
    const diag = await diagnosed(s);
    const res = await s.click(button(s.fake.card(diag), /Rerun/), 'alice', diag, { locale: 'de-AT' });
    held.release();
    expect(textOf(res.body.value)).toMatch(/^Wird bearbeitet/);
    await s.settle();
  });

  it("speaks a Spanish clicker's language (es-MX) in its own words", async () => {
    const held = heldClicks();
    s = await startTeams({ invokeBudgetMs: 50, engine: held.engine });
    const diag = await diagnosed(s);
    const res = await s.click(button(s.fake.card(diag), /Rerun/), 'alice', diag, { locale: 'es-MX' });
    held.release();
    expect(textOf(res.body.value)).toMatch(/^En curso/);
    await s.settle();
  });

  it('refuses a click on a button from another conversation (the ref names the thread)', async () => {
    s = await startTeams();
    const diag = await diagnosed(s);
    const other = `${THREAD.split(';')[0]};messageid=1732459999999`;
    const res = await s.click(button(s.fake.card(diag), /Rerun/), 'alice', diag, { conversationId: other });
    expect(textOf(res.body.value)).toMatch(/This button is no longer valid\./);
    await s.settle();
    expect(s.harness.gateway.ran.filter((op) => op.kind === 'invoke-probe')).toHaveLength(1);
  });

  it('two clicks in flight at once in one conversation each get their own answer: the reply travels with its event', async () => {
    // Clicks are held until `expected` of them have reached the engine, then handled side by side.
    let gate = { arrived: 0, expected: 1, open: () => {}, opened: Promise.resolve() };
    const hold = (expected: number) => {
      let open!: () => void;
      const opened = new Promise<void>((r) => (open = r));
      gate = { arrived: 0, expected, open, opened };
      return opened;
    };
    const interleaved = (real: ChatEngine): ChatEngine => ({
      ...real,
      handle: async (event, reply) => {
        if (event.kind === 'action') {
          const g = gate;
          if (++g.arrived === g.expected) g.open();
          await g.opened;
        }
        return real.handle(event, reply);
      },
    });
    s = await startTeams({ engine: interleaved });
    const diag = await diagnosed(s);
    await s.click(button(s.fake.card(diag), /Restart MSExchangeIMAP4BE/), 'alice', diag);
    await s.settle();
    const approval = s.fake.find(/Approval needed/, THREAD)[0]!;
    // Alice approves her own request (refused: a notice for her alone) while Bob reruns the probe.
    const bothIn = hold(2);
    const answers = Promise.all([
      s.click(button(s.fake.card(approval), /^Approve$/), 'alice', approval),
      s.click(button(s.fake.card(diag), /Rerun/), 'bob', diag),
    ]);
    await bothIn;
    const [alice, bob] = await answers;
    expect(textOf(alice.body.value)).toMatch(/own request/);
    expect(textOf(alice.body.value)).toMatch(/Only you can see this/);
    expect(textOf(bob.body.value)).not.toMatch(/own request|Only you can see this/);
    expect(titleOf(bob.body.value as Record<string, unknown>)).toMatch(/IMAP on SERVER1/);
    await s.settle();
    // Alice's notice rode on her own click's answer: nothing went to a personal chat.
    expect(s.fake.calls.filter((c) => c.kind === 'create')).toEqual([]);
  });
});
