/**
 * A button was clicked. The click carries only an id; what it does was stored when the button
 * was offered, so a forged or replayed payload cannot make the bot do anything it did not offer,
 * and a click from another conversation is refused.
 */
import type { ActionEvent, Actor } from '../model/event.ts';
import type { ButtonCommand, Incident } from '../model/incident.ts';
import { changesState } from '../model/operations.ts';
import type { Section } from '../model/card.ts';
import { decideApproval, requestApproval } from './approval-flow.ts';
import { checkSections } from './check-result.ts';
import type { EngineContext } from './context.ts';
import { findServer } from './servers.ts';
import { escalate } from './escalate.ts';
import { onOwed } from './owed-actions.ts';
import { onFollowUp } from './follow-ups.ts';
import { onContinue } from './ongoing.ts';
import { onManual } from './manual-steps.ts';
import { onJump, showLadder } from './steps-list.ts';
import { rerunWithAnswer } from './rerun.ts';
import { rebootInProgress } from './reboot-watch.ts';
import { fixesFor } from './held-components.ts';
import { isNoise } from './not-enabled.ts';
import { failureText } from './failure-text.ts';
import { changeIncident } from './incident-updates.ts';
import { operationLabel } from './labels.ts';
import { nextStep } from './ladder.ts';
import { ladderOf } from './present.ts';
import { tellPrivately } from './reply.ts';
import { startDiagnosis } from './run-diagnosis.ts';
import { noticeCard } from './views/notice.ts';
import { RESTART_ANYWAY_APPROVERS, withheldRestart } from './blast-radius.ts';
import { OVERRIDE_STEP, overrideOffer } from './override-step.ts';

type StepCommand = Extract<ButtonCommand, { type: 'step' }>;

async function refuse(ctx: EngineContext, event: ActionEvent, key: string): Promise<void> {
  const t = ctx.tFor(event.actor);
  await tellPrivately(
    ctx.surface(event.conversation),
    event.conversation,
    event.actor,
    noticeCard(t('refusal.title'), { severity: 'warning', text: t(key) }),
  );
}

export async function onAction(ctx: EngineContext, event: ActionEvent): Promise<void> {
  const offered = await ctx.store.getAction(event.actionId);
  const incident = offered ? await ctx.store.getIncident(offered.incidentId) : undefined;
  if (!offered || !incident || incident.conversation !== event.conversation) {
    await refuse(ctx, event, 'errors.unknownButton');
    return;
  }
  const command = offered.command;
  const actor = event.actor;
  switch (command.type) {
    case 'approve':
    case 'reject':
    case 'cancel':
      await decideApproval(ctx, {
        approvalId: command.approvalId,
        actor,
        decision: command.type,
        conversation: event.conversation,
      });
      return;
    case 'rerun-probes':
      await rerunWithAnswer(ctx, incident, actor);
      return;
    case 'manual':
      await onManual(ctx, event, incident, command);
      return;
    case 'continue':
      await onContinue(ctx, event, incident, command.incidentId);
      return;
    case 'jump':
      await onJump(ctx, event, incident, command);
      return;
    case 'show-ladder':
      await showLadder(ctx, event, incident, command.monitor);
      return;
    case 'escalate':
      await escalate(ctx, incident, actor);
      return;
    case 'step':
      await runStep(ctx, event, incident, command);
      return;
    case 'fix': {
      // Only a fix the current reading still calls for: the click is checked against it, not trusted.
      const fix = fixesFor(incident.held, incident.server).find((f) => f.stepId === command.stepId);
      if (['checking', 'closed', 'failed'].includes(incident.status) || !fix || rebootInProgress(incident))
        return refuse(ctx, event, 'step.stale');
      await requestApproval(ctx, {
        incident,
        monitor: command.monitor,
        stepId: fix.stepId,
        operation: fix.operation,
        actor,
      });
      return;
    }
    case 'override': {
      // Only the override the current reading still offers, no longer than the policy allows.
      const offer = overrideOffer(ctx, incident);
      if (!offer || JSON.stringify(offer) !== JSON.stringify(command.operation))
        return refuse(ctx, event, 'step.stale');
      await requestApproval(ctx, {
        incident,
        monitor: command.monitor,
        stepId: OVERRIDE_STEP,
        operation: offer,
        actor,
      });
      return;
    }
    case 'switch-backend': {
      const server = findServer(await ctx.servers(), command.server);
      if (!server) return refuse(ctx, event, 'step.stale');
      const t = ctx.tFor(incident);
      await startDiagnosis(ctx, {
        conversation: incident.conversation,
        actor,
        question: t('gate.question', { healthSet: command.healthSet, server: server.name }),
        locale: ctx.resolveLocale(incident.locale),
        server,
        healthSet: command.healthSet,
      });
      return;
    }
    case 'follow-up':
      await onFollowUp(ctx, event, incident, command);
      return;
    case 'compensate':
    case 'dismiss-owed':
    case 'close':
      await onOwed(ctx, event, incident, command);
      return;
  }
}

async function runStep(
  ctx: EngineContext,
  event: ActionEvent,
  incident: Incident,
  command: StepCommand,
): Promise<void> {
  const actor: Actor = event.actor;
  const servers = await ctx.servers();
  const ladder = incident.status === 'confirmed' ? ladderOf(ctx, incident, servers) : undefined;
  const current = ladder ? nextStep(ladder, incident.ladder?.position ?? 0) : undefined;
  if (
    !ladder ||
    !current ||
    ladder.monitor.name !== command.monitor ||
    current.step.id !== command.stepId ||
    incident.ladder?.waitingUntil ||
    rebootInProgress(incident) ||
    isNoise(incident)
  ) {
    await refuse(ctx, event, 'step.stale');
    return;
  }
  const step = current.step;
  const t = ctx.tFor(incident);
  const advance = (i: Incident): Incident => ({
    ...i,
    ladder: { monitor: command.monitor, position: current.index + 1 },
  });

  switch (step.kind) {
    case 'probe':
    case 'check': {
      const op = command.operation;
      if (!op || changesState(op)) return refuse(ctx, event, 'step.unavailable');
      const label = operationLabel(t, op);
      let extra: Section[];
      try {
        const result = await ctx.gateway.run(op);
        extra = checkSections(t, op, result, incident.locale);
        await ctx.audit({
          type: step.kind === 'probe' ? 'probe' : 'check',
          incidentId: incident.id,
          actor,
          data: {
            operation: op,
            summary: extra
              .map((s) => (s.kind === 'list' ? s.items.join('; ') : s.text))
              .join(' | ')
              .slice(0, 500),
          },
        });
      } catch (err) {
        ctx.observer.error?.('check', err);
        const failure = failureText(t, err, op.server);
        extra = [{ kind: 'text', text: t(failure.key, failure.vars) }];
        await ctx.audit({
          type: 'error',
          incidentId: incident.id,
          actor,
          data: { where: 'check', code: failure.code },
        });
      }
      await changeIncident(
        ctx,
        incident.id,
        (i) => ({ ...advance(i), lastEvent: { key: 'step.checked', vars: { who: actor.displayName, label } } }),
        { extra },
      );
      return;
    }
    case 'manual': {
      // Paths may name the server (`https://<server>/ecp`): fill in the one this incident is about.
      const fqdn = findServer(await ctx.servers(), incident.server)?.fqdn ?? incident.server;
      const extra: Section[] = [{ kind: 'text', text: t(`runbooks:${step.text}`, { server: fqdn }) }];
      if (step.paths?.length)
        extra.push({ kind: 'code', text: step.paths.map((p) => p.replaceAll('<server>', fqdn)).join('\n') });
      if (step.commands?.length) extra.push({ kind: 'code', text: step.commands.join('\n') });
      await changeIncident(
        ctx,
        incident.id,
        (i) => ({ ...advance(i), lastEvent: { key: 'step.manualShown', vars: { who: actor.displayName } } }),
        { extra },
      );
      return;
    }
    case 'wait': {
      const due = new Date(ctx.clock.now().getTime() + step.minutes * 60_000).toISOString();
      await ctx.store.scheduleTimer({
        id: `wait:${incident.id}:${step.id}:${ctx.newId()}`,
        incidentId: incident.id,
        dueAt: due,
        payload: { type: 'wait', monitor: command.monitor, stepId: step.id, minutes: step.minutes, then: step.then },
      });
      await changeIncident(ctx, incident.id, (i) => ({
        ...i,
        ladder: { monitor: command.monitor, position: current.index, waitingUntil: due },
        lastEvent: { key: 'step.waiting', vars: { who: actor.displayName, minutes: step.minutes } },
      }));
      return;
    }
    case 'action': {
      if (!command.operation || !changesState(command.operation)) return refuse(ctx, event, 'step.unavailable');
      // Organisation-wide: a restart goes ahead only as "restart anyway", with two approvers.
      const withheld = withheldRestart(incident, command.operation);
      if (withheld && !command.anyway) return refuse(ctx, event, 'serverstate:restartWithheld');
      await requestApproval(ctx, {
        incident,
        monitor: command.monitor,
        stepId: step.id,
        operation: command.operation,
        actor,
        ...(command.anyway ? { atLeast: RESTART_ANYWAY_APPROVERS } : {}),
      });
      return;
    }
    case 'escalate':
      await escalate(ctx, incident, actor);
      return;
  }
}
