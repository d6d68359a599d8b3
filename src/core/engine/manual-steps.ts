/**
 * Manual steps: things only a person can do (look at a URL, read a log). The card shows what to
 * do in its body, and asks the person to say how it went: "Done" (the bot reads the server again)
 * or "Skip" (the next step, this one marked skipped). Either is audited with who and when.
 */
import type { ActionEvent } from '../model/event.ts';
import type { ButtonCommand, Incident } from '../model/incident.ts';
import type { CardAction, Section } from '../model/card.ts';
import type { ServerInfo } from '../model/exchange.ts';
import type { ManualStep } from '../model/runbook.ts';
import type { Translate } from '../ports/i18n.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { stepLabel } from './labels.ts';
import { nextStep } from './ladder.ts';
import { ladderOf } from './present.ts';
import { rebootInProgress } from './reboot-watch.ts';
import { tellPrivately } from './reply.ts';
import { runDiagnosisFor } from './run-diagnosis.ts';
import { findServer } from './servers.ts';
import { clockTime } from './views/format.ts';
import { noticeCard } from './views/notice.ts';

export type ManualCommand = Extract<ButtonCommand, { type: 'manual' }>;

/** What to do, in the card's body: the instruction, the paths and the commands, with the server filled in. */
export function manualInstructions(
  t: Translate,
  step: ManualStep,
  server: ServerInfo | undefined,
  serverName: string,
): Section[] {
  const fqdn = server?.fqdn ?? serverName;
  const sections: Section[] = [{ kind: 'text', text: t(`runbooks:${step.text}`, { server: fqdn }) }];
  if (step.paths?.length)
    sections.push({ kind: 'code', text: step.paths.map((p) => p.replaceAll('<server>', fqdn)).join('\n') });
  if (step.commands?.length) sections.push({ kind: 'code', text: step.commands.join('\n') });
  return sections;
}

/** The two buttons of a manual step: short labels, the instruction is in the body. */
export function manualButtons(
  t: Translate,
  monitor: string,
  stepId: string,
): { command: ButtonCommand; view: Omit<CardAction, 'id'> }[] {
  return [
    {
      command: { type: 'manual', monitor, stepId, outcome: 'done' },
      view: { label: t('manual.done'), style: 'primary' },
    },
    {
      command: { type: 'manual', monitor, stepId, outcome: 'skipped' },
      view: { label: t('manual.skip'), style: 'default' },
    },
  ];
}

/** "Done" or "Skip" on a manual step, checked against the current state of the ladder. */
export async function onManual(
  ctx: EngineContext,
  event: ActionEvent,
  incident: Incident,
  command: ManualCommand,
): Promise<void> {
  const servers = await ctx.servers();
  const ladder = incident.status === 'confirmed' ? ladderOf(ctx, incident, servers) : undefined;
  const current = ladder ? nextStep(ladder, incident.ladder?.position ?? 0) : undefined;
  const t = ctx.tFor(incident);
  if (
    !ladder ||
    !current ||
    current.step.kind !== 'manual' ||
    ladder.monitor.name !== command.monitor ||
    current.step.id !== command.stepId ||
    incident.ladder?.waitingUntil ||
    rebootInProgress(incident)
  ) {
    await tellPrivately(
      ctx.surface(event.conversation),
      event.conversation,
      event.actor,
      noticeCard(t('refusal.title'), { severity: 'warning', text: t('step.stale') }),
    );
    return;
  }
  const actor = event.actor;
  const label = stepLabel(t, current.step, undefined, findServer(servers, incident.server)?.fqdn ?? incident.server);
  const at = ctx.clock.now().toISOString();
  await ctx.audit({
    type: 'ladder',
    incidentId: incident.id,
    actor,
    data: {
      move: command.outcome,
      monitor: command.monitor,
      stepId: command.stepId,
      fromLabel: label,
      from: current.index + 1,
      to: current.index + 2,
    },
  });
  const skipped = incident.ladder?.skipped ?? [];
  const moved = await changeIncident(ctx, incident.id, (i) => ({
    ...i,
    ladder: {
      monitor: command.monitor,
      position: current.index + 1,
      ...(i.ladder?.server ? { server: i.ladder.server } : {}),
      ...(command.outcome === 'skipped'
        ? { skipped: [...skipped.filter((s) => s !== command.stepId), command.stepId] }
        : skipped.length > 0
          ? { skipped }
          : {}),
    },
    lastEvent: {
      key: command.outcome === 'done' ? 'manual.doneEvent' : 'manual.skippedEvent',
      vars: { who: actor.displayName, label, time: clockTime(at, ctx.timeZone, incident.locale) },
    },
  }));
  // Done: whatever the person fixed by hand is read again, as after any step.
  if (command.outcome === 'done') await runDiagnosisFor(ctx, moved, actor);
}
