/**
 * Asked again about a problem someone is already on: the answer names the open incident (or the
 * pending approval), who is on it and since when, and goes on from the step it reached instead of
 * starting again at step 1. The fresh read is always made and shown: the state may have changed.
 */
import type { ActionEvent, Actor } from '../model/event.ts';
import type { Approval, ButtonCommand, Incident, Ongoing } from '../model/incident.ts';
import type { CardAction, Section } from '../model/card.ts';
import type { Translate } from '../ports/i18n.ts';
import type { Principal } from '../approvals/policy.ts';
import { matches } from '../approvals/policy.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { operationLabel } from './labels.ts';
import { ladderOf, nextStepView } from './present.ts';
import { tellPrivately } from './reply.ts';
import type { NewDiagnosis } from './run-diagnosis.ts';
import { runDiagnosisFor, startDiagnosis } from './run-diagnosis.ts';
import { noticeCard } from './views/notice.ts';
import { clockTime } from './views/format.ts';

/** States in which someone is still on an incident. */
const OPEN = new Set<Incident['status']>(['confirmed', 'escalated']);

export const shortRef = (id: string): string => `#${id.slice(0, 8)}`;

const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

function principalName(p: Principal): string {
  return p.directoryId ?? p.userId ?? p.group ?? '?';
}

/** The open incident on the same server and health set, the one with a pending approval first, this conversation's next. */
export async function findOngoing(
  ctx: EngineContext,
  input: Pick<NewDiagnosis, 'conversation' | 'server' | 'healthSet' | 'locale'>,
): Promise<{ incident: Incident; ongoing: Ongoing } | undefined> {
  // The store narrows by server and health set; a question about a whole server (no health set)
  // matches only incidents without one, which the filter here keeps exact.
  const onProblem = (
    await ctx.store.listIncidents(200, {
      server: input.server.name,
      ...(input.healthSet ? { healthSet: input.healthSet } : {}),
    })
  ).filter((i) => same(i.server, input.server.name) && same(i.healthSet, input.healthSet));
  // Most questions are about a problem nobody is on: no approvals to read then.
  if (onProblem.length === 0) return undefined;
  const byIncident = new Map<string, Approval[]>();
  for (const a of await ctx.store.listApprovals({ states: ['pending'], incidentIds: onProblem.map((i) => i.id) }))
    byIncident.set(a.incidentId, [...(byIncident.get(a.incidentId) ?? []), a]);
  const pendingOn = (i: Incident) => byIncident.get(i.id) ?? [];
  const candidates = onProblem.filter((i) => OPEN.has(i.status) || pendingOn(i).length > 0);
  const rank = (i: Incident) => (pendingOn(i).length > 0 ? 0 : 2) + (i.conversation === input.conversation ? 0 : 1);
  const incident = [...candidates].sort((a, b) => rank(a) - rank(b) || b.openedAt.localeCompare(a.openedAt))[0];
  if (!incident) return undefined;
  // Written on the card that shows it: the open incident's own in this conversation, the new one's elsewhere.
  const t = ctx.t(incident.conversation === input.conversation ? incident.locale : input.locale);
  const ladder = incident.status === 'confirmed' ? ladderOf(ctx, incident, await ctx.servers()) : undefined;
  const next = ladder ? nextStepView(t, ladder, incident.ladder?.position ?? 0) : undefined;
  const approval = pendingOn(incident).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0];
  const ongoing: Ongoing = {
    incidentId: incident.id,
    ref: shortRef(incident.id),
    sameConversation: incident.conversation === input.conversation,
    openedBy: incident.openedBy.displayName,
    openedAt: incident.openedAt,
    ...(next
      ? {
          step: { number: next.number, total: next.total, label: next.label, position: incident.ladder?.position ?? 0 },
        }
      : {}),
    ...(approval
      ? {
          approval: {
            requester: approval.requester.displayName,
            requestedAt: approval.requestedAt,
            label: operationLabel(t, approval.operation),
            // Anyone on the approver list but the requester (and who already voted) may decide.
            approvers: ctx.policy.approvers
              .filter((p) => !matches(p, approval.requester) && !approval.approvals.some((v) => matches(p, v.actor)))
              .map(principalName)
              .join(', '),
            needed: Math.max(1, approval.requiredApprovals - approval.approvals.length),
          },
        }
      : {}),
  };
  return { incident, ongoing };
}

/**
 * A diagnosis question: in a conversation that already has an open incident on the problem, that
 * incident is read again and shown afresh at the bottom, its ladder where it was; elsewhere a new
 * incident is read, naming the open one and offering to go on from its step.
 */
export async function askAbout(ctx: EngineContext, input: NewDiagnosis): Promise<Incident> {
  const found = await findOngoing(ctx, input);
  if (!found) return startDiagnosis(ctx, input);
  const { incident, ongoing } = found;
  if (!ongoing.sameConversation) return startDiagnosis(ctx, { ...input, ongoing });
  await ctx.audit({
    type: 'command',
    incidentId: incident.id,
    actor: input.actor,
    data: {
      conversation: input.conversation,
      text: input.question.slice(0, 500),
      intent: 'diagnose',
      continued: incident.id,
    },
  });
  // A fresh copy where the person is looking now (the old message keeps its place up the thread).
  const moved = await changeIncident(ctx, incident.id, (i) => {
    const { messageRef: _old, ...rest } = i;
    return { ...rest, ongoing };
  });
  return runDiagnosisFor(ctx, moved, input.actor);
}

/** What the card says about the open incident, and the button that goes on from its step. */
export function ongoingOffer(
  t: Translate,
  incident: Incident,
  timeZone: string,
): { sections: Section[]; button?: { command: ButtonCommand; view: Omit<CardAction, 'id'> } } {
  const o = incident.ongoing;
  if (!o) return { sections: [] };
  const vars = {
    ref: o.ref,
    who: o.openedBy,
    time: clockTime(o.openedAt, timeZone, incident.locale, incident.updatedAt),
  };
  const lines = [t(o.sameConversation ? 'ongoing.same' : 'ongoing.other', vars)];
  if (o.step) lines.push(t('ongoing.step', { number: o.step.number, total: o.step.total, label: o.step.label }));
  if (o.approval)
    lines.push(
      t('ongoing.approval', {
        ...o.approval,
        time: clockTime(o.approval.requestedAt, timeZone, incident.locale, incident.updatedAt),
      }),
    );
  const sections: Section[] = [{ kind: 'text', text: lines.join(' ') }];
  // Only a card that has a ladder of its own can go on from the other's step.
  const canContinue =
    !o.sameConversation &&
    o.step &&
    incident.status === 'confirmed' &&
    incident.ladder &&
    incident.ladder.position < o.step.position;
  if (!canContinue || !o.step) return { sections };
  return {
    sections,
    button: {
      command: { type: 'continue', incidentId: o.incidentId },
      view: { label: t('ongoing.continue', { number: o.step.number }), style: 'primary' },
    },
  };
}

/** "Continue from step N": this incident takes over the other's place on the same ladder, on the record. */
export async function onContinue(
  ctx: EngineContext,
  event: ActionEvent,
  incident: Incident,
  fromId: string,
): Promise<void> {
  const from = await ctx.store.getIncident(fromId);
  const t = ctx.tFor(incident);
  const refuse = (key: string, vars: Record<string, string> = {}) =>
    tellPrivately(
      ctx.surface(event.conversation),
      event.conversation,
      event.actor,
      noticeCard(t('refusal.title'), { severity: 'warning', text: t(key, vars) }),
    );
  if (!from || !OPEN.has(from.status) || !from.ladder) return refuse('ongoing.gone', { ref: shortRef(fromId) });
  const theirs = from.ladder;
  // The same ladder only: a fresh read that points elsewhere is not overruled by an older one.
  if (
    incident.status !== 'confirmed' ||
    !incident.ladder ||
    incident.ladder.monitor !== theirs.monitor ||
    incident.ladder.server !== theirs.server
  )
    return refuse('step.stale');
  const actor: Actor = event.actor;
  await ctx.audit({
    type: 'ladder',
    incidentId: incident.id,
    actor,
    data: {
      move: 'continued',
      fromIncident: shortRef(from.id),
      monitor: theirs.monitor,
      from: incident.ladder.position + 1,
      to: theirs.position + 1,
    },
  });
  await changeIncident(ctx, incident.id, (i) => ({
    ...i,
    ladder: { monitor: theirs.monitor, position: theirs.position, ...(theirs.server ? { server: theirs.server } : {}) },
    lastEvent: {
      key: 'ongoing.continued',
      vars: {
        who: actor.displayName,
        ref: shortRef(from.id),
        number: incident.ongoing?.step?.number ?? theirs.position + 1,
      },
    },
  }));
}
