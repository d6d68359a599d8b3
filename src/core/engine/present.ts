/**
 * Turns an incident into its card: findings, the next step of the ladder and the buttons.
 * Buttons are stored as offered actions, so a click is looked up by id and never trusted.
 */
import type { CardAction, Section } from '../model/card.ts';
import type { ServerInfo } from '../model/exchange.ts';
import type { ButtonCommand, Incident, OfferedAction } from '../model/incident.ts';
import type { Translate } from '../ports/i18n.ts';
import type { DiagnosisProgress } from './diagnose.ts';
import { primaryFinding } from './diagnose.ts';
import type { EngineContext } from './context.ts';
import { operationLabel, stepImpact, stepLabel } from './labels.ts';
import type { LadderContext } from './ladder.ts';
import { applicableSteps, nextStep, operationOf, targetServer } from './ladder.ts';
import { findServer } from './servers.ts';
import type { NextStepView } from './views/diagnosis.ts';
import { diagnosisCard } from './views/diagnosis.ts';
import { clockTime } from './views/format.ts';
import { owedSections } from './views/owed.ts';
import { followUpSections } from './views/follow-ups.ts';
import { rebootSections } from './views/reboot.ts';
import { rebootInProgress } from './reboot-watch.ts';
import { fixesFor } from './held-components.ts';
import { isNoise } from './not-enabled.ts';
import { noiseSections } from './views/noise.ts';
import { gateView } from './gate.ts';
import { backendLadderContext } from './backend-ladder.ts';
import { heldSections } from './views/held.ts';
import { serverPanel } from './views/server-panel.ts';
import { withheldRestart } from './blast-radius.ts';
import { overrideOffer } from './override-step.ts';
import type { Card } from '../model/card.ts';
import { alreadyTriedNote, evidenceView } from './views/evidence.ts';
import { emsCommand } from './ems-command.ts';
import { audienceOf } from './audience.ts';
import { ongoingOffer } from './ongoing.ts';
import { manualButtons, manualInstructions } from './manual-steps.ts';
import { jumpButtons } from './steps-list.ts';
import { checkHistorySections } from './rerun.ts';
import { escalateButton } from './escalate.ts';
import { joinSentences } from './views/values.ts';

/** The ladder being walked for this incident, with its servers resolved; undefined when none. */
export function ladderOf(
  ctx: Pick<EngineContext, 'catalogue'>,
  incident: Incident,
  servers: readonly ServerInfo[],
): LadderContext | undefined {
  // The back-end gate switched this incident to the back end's own ladder.
  if (incident.ladder?.server) return backendLadderContext(ctx, incident, servers);
  const monitorName = incident.ladder?.monitor ?? primaryFinding(incident.findings, incident.healthSet)?.monitor;
  const finding = incident.findings.find((f) => f.monitor === monitorName);
  if (!finding) return undefined;
  const known = ctx.catalogue.monitor(finding.healthSet, finding.monitor);
  const server = findServer(servers, incident.server);
  if (!known || !server) return undefined;
  const probe = ctx.catalogue.probe(known.runbook, known.monitor);
  const backend = finding.backend ? findServer(servers, finding.backend.server) : undefined;
  const backendUnhealthy = (finding?.backend?.unhealthy.length ?? 0) > 0;
  return {
    server,
    monitor: known.monitor,
    peers: servers,
    ...(probe ? { probe } : {}),
    ...(finding.targetResource ? { targetResource: finding.targetResource } : {}),
    ...(backend ? { backend } : {}),
    ...(backendUnhealthy ? { backendUnhealthy } : {}),
  };
}

export interface Presented {
  readonly card: Card;
  readonly actions: readonly OfferedAction[];
}

export function button(
  ctx: Pick<EngineContext, 'newId' | 'clock'>,
  incident: Incident,
  command: ButtonCommand,
  view: Omit<CardAction, 'id'>,
): { offered: OfferedAction; action: CardAction } {
  const id = ctx.newId();
  const audience = view.audience ?? audienceOf(command);
  return {
    offered: { id, incidentId: incident.id, command, createdAt: ctx.clock.now().toISOString() },
    action: { id, ...view, ...(audience ? { audience } : {}) },
  };
}

export function nextStepView(t: Translate, ladder: LadderContext, position: number): NextStepView | undefined {
  const steps = applicableSteps(ladder);
  const next = nextStep(ladder, position);
  if (!next) return undefined;
  const op = operationOf(next.step, ladder);
  const impact = stepImpact(t, next.step, op);
  // A standalone Mailbox server has no other copy to fail over to: say so before anyone approves.
  const target = targetServer(next.step, ladder);
  const notes = next.step.note ? [t(`runbooks:${next.step.note}`, target ? { server: target.name } : {})] : [];
  if (op?.kind === 'restart-server' && target?.dag === null && target.roles.includes('Mailbox'))
    notes.push(t('restart.standalone', { server: target.name }));
  return {
    number: steps.findIndex((s) => s.index === next.index) + 1,
    total: steps.length,
    label: stepLabel(t, next.step, op, target?.name),
    needsApproval: next.step.kind === 'action',
    ...(impact ? { impact } : {}),
    ...(notes.length > 0 ? { note: joinSentences(t, notes) } : {}),
  };
}

/** Builds the diagnosis card and the offered actions behind its buttons (not yet stored). */
export function presentIncident(
  ctx: EngineContext,
  incident: Incident,
  servers: readonly ServerInfo[],
  options: { progress?: DiagnosisProgress; extra?: readonly Section[] } = {},
): Presented {
  const t = ctx.tFor(incident);
  const made: { offered: OfferedAction; action: CardAction }[] = [];
  let next: NextStepView | undefined;
  let nextCommand: string | undefined;
  const open = incident.status === 'confirmed';
  const ladder = open ? ladderOf(ctx, incident, servers) : undefined;
  const waitingUntil = incident.ladder?.waitingUntil;
  const paused = waitingUntil !== undefined || rebootInProgress(incident);
  // A held component is lifted by its own requester, not by anything on the ladder: those first.
  const settled = incident.status === 'checking' || incident.status === 'closed' || incident.status === 'failed';
  const fixes = !settled && !paused ? fixesFor(incident.held, incident.server) : [];
  const fixMonitor =
    ladder?.monitor.name ??
    incident.ladder?.monitor ??
    primaryFinding(incident.findings, incident.healthSet)?.monitor ??
    '';
  for (const fix of fixes) {
    const label = operationLabel(t, fix.operation);
    const shown =
      fix.requester === 'Maintenance' && fix.operation.kind !== 'exit-maintenance'
        ? t('held.exitMaintenance', { label })
        : label;
    made.push(
      button(
        ctx,
        incident,
        { type: 'fix', monitor: fixMonitor, stepId: fix.stepId, operation: fix.operation },
        {
          label: shown,
          style: 'danger',
          confirm: {
            title: t('confirm.title'),
            text: t('confirm.text', { label: shown }),
            yes: t('confirm.yes'),
            no: t('confirm.no'),
          },
        },
      ),
    );
  }
  // A protocol that is not enabled here is noise: nothing on the ladder, above all no restart.
  const noise = isNoise(incident);
  const manualSections: Section[] = [];
  if (ladder) {
    const position = incident.ladder?.position ?? 0;
    next = paused || fixes.length > 0 || noise ? undefined : nextStepView(t, ladder, position);
    const step = nextStep(ladder, position);
    if (step && next) {
      const op = operationOf(step.step, ladder);
      // A rung Managed Availability already climbed, with the monitor still failing: said, and still offered.
      const tried = alreadyTriedNote(t, incident, op, ctx.timeZone);
      if (tried)
        next = {
          ...next,
          note: joinSentences(
            t,
            [tried, next.note].filter((n): n is string => Boolean(n)),
          ),
        };
      nextCommand = op ? emsCommand(op) : undefined;
      const danger = step.step.kind === 'action';
      // Organisation-wide failure: the restart is withheld, offered only as "restart anyway" (two approvers).
      const anyway = withheldRestart(incident, op);
      if (anyway) next = { ...next, label: t('serverstate:restartAnyway', { label: next.label }), approvalsNeeded: 2 };
      // A manual step: what to do in the body, and "Done" / "Skip" (manual-steps.ts).
      const manual = step.step.kind === 'manual' ? step.step : undefined;
      if (manual) manualSections.push(...manualInstructions(t, manual, targetServer(manual, ladder), incident.server));
      for (const b of manual ? manualButtons(t, ladder.monitor.name, manual.id) : [])
        made.push(button(ctx, incident, b.command, b.view));
      if (!manual)
        made.push(
          button(
            ctx,
            incident,
            {
              type: 'step',
              monitor: ladder.monitor.name,
              stepId: step.step.id,
              ...(op ? { operation: op } : {}),
              ...(anyway ? { anyway: true as const } : {}),
            },
            {
              label: next.label,
              style: danger ? 'danger' : 'primary',
              ...(danger
                ? {
                    confirm: {
                      title: t('confirm.title'),
                      text: t('confirm.text', { label: next.label }),
                      yes: t('confirm.yes'),
                      no: t('confirm.no'),
                    },
                  }
                : step.step.kind === 'escalate'
                  ? { confirm: escalateButton(ctx, t).confirm! }
                  : {}),
            },
          ),
        );
    }
  }
  // Owed compensations come first once the ladder is left: they are what still has to happen.
  const owed = incident.owed ?? [];
  const settledState =
    incident.status !== 'confirmed' && incident.status !== 'checking' && incident.status !== 'closed';
  if (settledState) {
    for (const o of owed) {
      const label = operationLabel(t, o.operation);
      made.push(
        button(
          ctx,
          incident,
          { type: 'compensate', monitor: o.monitor, stepId: o.stepId },
          { label: t('owed.run', { label }), style: 'primary' },
        ),
      );
      made.push(
        button(
          ctx,
          incident,
          { type: 'dismiss-owed', monitor: o.monitor, stepId: o.stepId },
          { label: t('owed.dismiss', { label }), style: 'default' },
        ),
      );
    }
  }
  // Optional follow-ups (moving active copies back): offered, each with its own approval, never owed.
  const followUps = !settled && !paused ? (incident.followUps ?? []) : [];
  for (const f of followUps) {
    const label = t('followUp.run', { label: operationLabel(t, f.operation) });
    made.push(
      button(
        ctx,
        incident,
        { type: 'follow-up', monitor: f.monitor, stepId: f.stepId },
        {
          label,
          style: 'default',
          confirm: {
            title: t('confirm.title'),
            text: t('confirm.text', { label }),
            yes: t('confirm.yes'),
            no: t('confirm.no'),
          },
        },
      ),
    );
  }
  // Noise: quieten the monitor here for a while, ending by itself (an approved override).
  const override = overrideOffer(ctx, incident);
  if (override) {
    const label = t('serverstate:overrideStep', {
      item: `${override.healthSet}\\${override.item}`,
      server: override.server,
      hours: override.durationMinutes / 60,
    });
    made.push(
      button(
        ctx,
        incident,
        { type: 'override', monitor: override.item, operation: override },
        {
          label,
          style: 'primary',
          confirm: {
            title: t('confirm.title'),
            text: t('confirm.text', { label }),
            yes: t('confirm.yes'),
            no: t('confirm.no'),
          },
        },
      ),
    );
  }
  // A set not reported here may be read after all once the server reports it: rerun, not escalate.
  const absent = incident.status === 'failed' && (incident.absent?.healthSets.length ?? 0) > 0;
  if (absent || (incident.status !== 'checking' && incident.status !== 'failed' && incident.status !== 'closed')) {
    made.push(button(ctx, incident, { type: 'rerun-probes' }, { label: t('button.rerun'), style: 'default' }));
  }
  const ongoing = ongoingOffer(t, incident, ctx.timeZone);
  if (ongoing.button) made.push(button(ctx, incident, ongoing.button.command, ongoing.button.view));
  if (ladder) {
    made.push(
      button(
        ctx,
        incident,
        { type: 'show-ladder', monitor: ladder.monitor.name },
        { label: t('button.allSteps'), style: 'default' },
      ),
    );
    for (const j of jumpButtons(t, incident, ladder)) made.push(button(ctx, incident, j.command, j.view));
  }
  const gate = ladder && open ? gateView(t, incident, ladder) : undefined;
  if (gate?.switchTo) {
    made.push(
      button(
        ctx,
        incident,
        { type: 'switch-backend', ...gate.switchTo },
        { label: t('gate.openBackend', gate.switchTo), style: 'primary' },
      ),
    );
  }
  if (open || (incident.status === 'failed' && !absent)) {
    made.push(button(ctx, incident, { type: 'escalate' }, escalateButton(ctx, t)));
  }
  if (incident.status === 'resolved' || incident.status === 'escalated' || (settledState && owed.length > 0)) {
    made.push(button(ctx, incident, { type: 'close' }, { label: t('button.close'), style: 'default' }));
  }
  const extra: Section[] = [...ongoing.sections, ...(options.extra ?? [])];
  if (owed.length > 0) extra.push(...owedSections(t, owed, ctx.timeZone, incident.locale));
  if (incident.owedElsewhere?.length) {
    extra.push({
      kind: 'text',
      text: t('owed.elsewhere', { count: incident.owedElsewhere.length, server: incident.server }),
    });
    extra.push({
      kind: 'list',
      items: incident.owedElsewhere.map((o) =>
        t('owed.elsewhereItem', { label: operationLabel(t, o.operation), id: o.incidentId }),
      ),
    });
  }
  if (followUps.length > 0) extra.push(...followUpSections(t, followUps));
  if (incident.reboot) extra.push(...rebootSections(t, incident.reboot, ctx.timeZone, incident.locale));
  // The server panel shows the held components first; without one (an older incident) they stay here.
  const panel =
    incident.serverContext && incident.status !== 'checking'
      ? serverPanel({
          t,
          server: incident.server,
          context: incident.serverContext,
          ...(incident.held && !settled ? { held: incident.held } : {}),
          timeZone: ctx.timeZone,
          locale: incident.locale,
        })
      : undefined;
  if (incident.held && !settled && !panel)
    extra.push(...heldSections(t, incident.held, incident.server, ctx.timeZone, incident.locale));
  if (fixes.length > 0) extra.push({ kind: 'text', text: t('held.firstThis') });
  if (noise) extra.push(...noiseSections(t, incident));
  if (gate) extra.push(...gate.sections);
  if (waitingUntil)
    extra.push({
      kind: 'text',
      text: t('step.waitingUntil', {
        time: clockTime(waitingUntil, ctx.timeZone, incident.locale, incident.updatedAt),
      }),
    });
  extra.push(...manualSections, ...checkHistorySections(t, incident, ctx.timeZone));
  if (next && nextCommand)
    extra.push({ kind: 'text', text: t('evidence:ems.nextStep') }, { kind: 'code', text: nextCommand });
  const card = diagnosisCard({
    incident,
    t,
    timeZone: ctx.timeZone,
    buttons: made.map((m) => m.action),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(next ? { next } : {}),
    ...(extra.length > 0 ? { extra } : {}),
    ...(panel ? { panel } : {}),
    ...(incident.status !== 'checking' ? { evidence: evidenceView(t, incident, ctx.timeZone) } : {}),
  });
  return { card, actions: made.map((m) => m.offered) };
}
