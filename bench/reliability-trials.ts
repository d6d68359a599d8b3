/**
 * One randomised approval trial on two engines that share a store, as two replicas would: a
 * request on one of them, then a handful of clicks from people picked at random (approvers, the
 * requester, a viewer), approve or reject, spread over both engines, with double clicks, exact
 * redeliveries of the same event and random delays. What must hold: the step ran at most once,
 * and a valid approval was never lost (left pending, approved or executing).
 */
import type { CardAction, ExchangeGateway, Operation, Store } from '../src/core/index.ts';
import { RecordingSurface } from '../src/cli/surface.ts';
import type { Harness } from '../test/engine/harness.ts';
import { createHarness } from '../test/engine/harness.ts';

/** Restarts succeed but change nothing, so every new incident offers the restart again. */
export const restartsDoNotHeal = (lab: ExchangeGateway): ExchangeGateway => ({
  listServers: () => lab.listServers(),
  health: () => lab.health(),
  close: () => lab.close(),
  run: (async (op: Operation, options?: Parameters<ExchangeGateway['run']>[1]) =>
    op.kind === 'restart-service'
      ? { ok: true, detail: `${op.service} restarted on ${op.server}` }
      : lab.run(op as never, options)) as ExchangeGateway['run'],
});

/** One chat shared by both replicas: each conversation has its own recording surface. */
export class SharedChat {
  private readonly byConversation = new Map<string, RecordingSurface>();
  surface = (conversation: string): RecordingSurface => {
    let s = this.byConversation.get(conversation);
    if (!s) this.byConversation.set(conversation, (s = new RecordingSurface()));
    return s;
  };
  lastCard(conversation: string, kind: 'diagnosis' | 'approval') {
    return [...this.surface(conversation).messages].reverse().find((m) => !m.privateTo && m.card.kind === kind)?.card;
  }
  privateNotices(conversation: string): string[] {
    return this.surface(conversation)
      .messages.filter((m) => m.privateTo)
      .map((m) =>
        [m.card.title, ...m.card.sections.map((s) => (s.kind === 'list' ? s.items.join(' ') : s.text))].join(' '),
      );
  }
}

export async function replicas(
  stores: readonly [Store, Store],
  options: {
    wrapA?: (lab: ExchangeGateway) => ExchangeGateway;
    wrapB?: (lab: ExchangeGateway) => ExchangeGateway;
  } = {},
) {
  const chat = new SharedChat();
  const make = (store: Store, name: string, wrap?: (lab: ExchangeGateway) => ExchangeGateway) =>
    createHarness('imap-backend-hang', {
      store,
      wrapGateway: wrap ?? restartsDoNotHeal,
      overrides: { surfaces: chat.surface, instanceId: name },
    });
  const [a, b] = await Promise.all([
    make(stores[0], 'replica-a', options.wrapA),
    make(stores[1], 'replica-b', options.wrapB),
  ]);
  return { a, b, chat };
}

export type TrialResult =
  | { readonly kind: 'setup-failed'; readonly reason: string; readonly conversation: string }
  | {
      readonly kind: 'ran';
      readonly approvalId: string;
      readonly incidentId: string;
      readonly conversation: string;
      readonly clicks: number;
      readonly validApprove: boolean;
    };

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests the restart on a random replica and fires the random clicks; settles nothing itself. */
export async function runTrial(
  n: number,
  a: Harness,
  b: Harness,
  chat: SharedChat,
  random: () => number,
): Promise<TrialResult> {
  const conversation = `rel:${n}`;
  const requester = random() < 0.5 ? a : b;
  try {
    await requester.ask('imap on server1', requester.people.alice, conversation);
    const diagnosis = chat.lastCard(conversation, 'diagnosis');
    const step = diagnosis?.actions.find((x) => /Restart MSExchangeIMAP4BE/.test(x.label));
    if (!step) return { kind: 'setup-failed', reason: 'no restart offered', conversation };
    await requester.click(step.id, requester.people.alice, conversation);
    const card = chat.lastCard(conversation, 'approval');
    const approve = card?.actions.find((x) => x.label === 'Approve');
    const reject = card?.actions.find((x) => x.label === 'Reject');
    const id = card?.context?.match(/(\S+)$/)?.[1];
    const requested = id ? await requester.store.getApproval(id) : undefined;
    if (!approve || !reject || !requested) return { kind: 'setup-failed', reason: 'no approval card', conversation };
    const people = [a.people.bob, a.people.dave, a.people.alice, a.people.carol] as const;
    const count = 2 + Math.floor(random() * 5);
    let validApprove = false;
    type Click = {
      actor: (typeof people)[number];
      decision: CardAction;
      eventId: string;
      engine: Harness;
      delay: number;
    };
    const clicks: Click[] = [];
    for (let i = 0; i < count; i++) {
      const engine = random() < 0.5 ? a : b;
      const delay = Math.floor(random() * 4);
      // An exact redelivery repeats an earlier click whole (same person, same button, same event
      // id), possibly to the other replica; a double click is the same person with a new event id.
      if (clicks.length > 0 && random() < 0.3) {
        clicks.push({ ...pick(clicks, random), engine, delay });
        continue;
      }
      // The first click is always an approver's approval, so every trial must end executed or rejected.
      const actor = i === 0 ? pick([a.people.bob, a.people.dave], random) : pick(people, random);
      const decision: CardAction = i > 0 && random() < 0.15 ? reject : approve;
      if (decision === approve && (actor === a.people.bob || actor === a.people.dave)) validApprove = true;
      clicks.push({ actor, decision, eventId: `rel:${n}:click:${i}`, engine, delay });
    }
    await Promise.all(
      clicks.map(async (c) => {
        if (c.delay > 0) await pause(c.delay);
        await c.engine.click(c.decision.id, c.actor, conversation, c.eventId);
      }),
    );
    return {
      kind: 'ran',
      approvalId: requested.id,
      incidentId: requested.incidentId,
      conversation,
      clicks: count,
      validApprove,
    };
  } catch (err) {
    return { kind: 'setup-failed', reason: err instanceof Error ? err.message : String(err), conversation };
  }
}

export interface TrialVerdict {
  readonly duplicates: number;
  readonly lost: number;
  readonly states: Record<string, number>;
}

/** Reads back what happened: executions per approval (action-started records) and final states. */
export async function judge(
  store: Store,
  trials: readonly TrialResult[],
  told: (conversation: string) => boolean = () => false,
): Promise<TrialVerdict> {
  let duplicates = 0;
  let lost = 0;
  const states: Record<string, number> = {};
  for (const t of trials) {
    if (t.kind !== 'ran') continue;
    const approval = await store.getApproval(t.approvalId);
    const state = approval?.state ?? 'missing';
    states[state] = (states[state] ?? 0) + 1;
    const started = (await store.readAudit({ incidentId: t.incidentId })).filter(
      (r) => r.type === 'action-started' && r.data.approvalId === t.approvalId,
    ).length;
    if (started > 1) duplicates++;
    if (
      state === 'approved' ||
      state === 'executing' ||
      state === 'missing' ||
      (state === 'pending' && t.validApprove && !told(t.conversation))
    )
      lost++;
  }
  return { duplicates, lost, states };
}

/** A small seeded generator, so a run can be repeated. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `count` trials, `concurrency` at a time. */
export async function manyTrials(
  count: number,
  concurrency: number,
  run: (n: number) => Promise<TrialResult>,
): Promise<TrialResult[]> {
  const results: TrialResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) results.push(await run(next++));
    }),
  );
  return results;
}
