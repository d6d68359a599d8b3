/**
 * "All steps": the whole ladder in the card's body, each step one click away. A jump moves the
 * ladder to that step and is audited (who, from which step to which); it runs nothing, so a
 * state-changing step jumped to still asks for its approval when its button is clicked.
 */
import type { ActionEvent } from '../model/event.ts';
import type { ButtonCommand, Incident } from '../model/incident.ts';
import type { CardAction } from '../model/card.ts';
import type { Translate } from '../ports/i18n.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { stepLabel } from './labels.ts';
import type { LadderContext } from './ladder.ts';
import { applicableSteps, nextStep, operationOf, targetServer } from './ladder.ts';
import { ladderOf } from './present.ts';
import { rebootInProgress } from './reboot-watch.ts';
import { tellPrivately } from './reply.ts';
import { alreadyTriedMark, emsCommandsSection } from './views/evidence.ts';
import { emsCommand } from './ems-command.ts';
import { noticeCard } from './views/notice.ts';

async function refuse(ctx: EngineContext, event: ActionEvent, key: string): Promise<void> {
  const t = ctx.tFor(event.actor);
  await tellPrivately(
    ctx.surface(event.conversation),
    event.conversation,
    event.actor,
    noticeCard(t('refusal.title'), { severity: 'warning', text: t(key) }),
  );
}

/** The list of steps, each marked done, skipped or needing approval; the card then offers each as a jump. */
export async function showLadder(
  ctx: EngineContext,
  event: ActionEvent,
  incident: Incident,
  monitor: string,
): Promise<void> {
  const servers = await ctx.servers();
  const ladder = ladderOf(ctx, incident, servers);
  // Every refusal is told to the person who clicked; silence reads as a lost click.
  if (!ladder || ladder.monitor.name !== monitor) return refuse(ctx, event, 'step.stale');
  const t = ctx.tFor(incident);
  const position = incident.ladder?.position ?? 0;
  const steps = applicableSteps(ladder);
  const items = steps.map(({ step, index }) => {
    const label = stepLabel(t, step, operationOf(step, ladder), targetServer(step, ladder)?.name);
    const mark =
      index < position
        ? t(incident.ladder?.skipped?.includes(step.id) ? 'ladder.skipped' : 'ladder.done')
        : step.kind === 'action'
          ? t('ladder.needsApproval')
          : '';
    // A rung Managed Availability already climbed is marked, and stays on the ladder.
    const tried = alreadyTriedMark(t, incident, operationOf(step, ladder));
    return [label, mark, tried].filter(Boolean).join(' ');
  });
  const commands = emsCommandsSection(
    t,
    steps.map(({ step }) => operationOf(step, ladder)),
    emsCommand,
  );
  await changeIncident(ctx, incident.id, (i) => i, {
    extra: [{ kind: 'text', text: t('ladder.heading', { monitor }) }, { kind: 'list', items }, ...commands],
    stepsOpen: true,
  });
}

/** One short button per step of the open list but the one the card offers now; numbered like the list. */
export function jumpButtons(
  t: Translate,
  incident: Incident,
  ladder: LadderContext,
): { command: ButtonCommand; view: Omit<CardAction, 'id'> }[] {
  if (!incident.stepsOpen || incident.ladder?.waitingUntil || rebootInProgress(incident)) return [];
  const current = nextStep(ladder, incident.ladder?.position ?? 0)?.index;
  return applicableSteps(ladder).flatMap(({ step, index }, n) =>
    index === current
      ? []
      : [
          {
            command: { type: 'jump', monitor: ladder.monitor.name, stepId: step.id },
            view: { label: t('jump.button', { number: n + 1 }), style: 'default' },
          },
        ],
  );
}

type JumpCommand = Extract<ButtonCommand, { type: 'jump' }>;

/** Moves the ladder to the chosen step, on the record. */
export async function onJump(
  ctx: EngineContext,
  event: ActionEvent,
  incident: Incident,
  command: JumpCommand,
): Promise<void> {
  const servers = await ctx.servers();
  const ladder = incident.status === 'confirmed' ? ladderOf(ctx, incident, servers) : undefined;
  const steps = ladder ? applicableSteps(ladder) : [];
  const to = steps.findIndex(({ step }) => step.id === command.stepId);
  if (
    !ladder ||
    ladder.monitor.name !== command.monitor ||
    to < 0 ||
    incident.ladder?.waitingUntil ||
    rebootInProgress(incident)
  )
    return refuse(ctx, event, 'step.stale');
  const position = incident.ladder?.position ?? 0;
  const fromIndex = nextStep(ladder, position)?.index;
  const from = steps.findIndex(({ index }) => index === fromIndex);
  const t = ctx.tFor(incident);
  const labelAt = (n: number) =>
    n >= 0
      ? stepLabel(t, steps[n]!.step, operationOf(steps[n]!.step, ladder), targetServer(steps[n]!.step, ladder)?.name)
      : '';
  const target = steps[to]!;
  await ctx.audit({
    type: 'ladder',
    incidentId: incident.id,
    actor: event.actor,
    data: {
      move: 'jumped',
      monitor: command.monitor,
      from: from + 1,
      to: to + 1,
      fromStep: steps[from]?.step.id ?? null,
      toStep: target.step.id,
      fromLabel: labelAt(from),
      toLabel: labelAt(to),
    },
  });
  await changeIncident(ctx, incident.id, (i) => ({
    ...i,
    ladder: { ...(i.ladder ?? { monitor: command.monitor }), monitor: command.monitor, position: target.index },
    lastEvent: {
      key: 'jump.event',
      vars: { who: event.actor.displayName, from: from + 1, to: to + 1, label: labelAt(to) },
    },
  }));
}
