/**
 * Running a diagnosis for a conversation: post a "checking" card at once, update it as probes
 * finish, then store the incident with its findings and show the ladder.
 */
import { HealthbotError } from '../errors.ts';
import type { Actor, ConversationRef } from '../model/event.ts';
import type { ProbeResult, ServerInfo } from '../model/exchange.ts';
import type { Incident, IncidentStatus, Ongoing } from '../model/incident.ts';
import type { Locale } from '../ports/i18n.ts';
import type { EngineContext } from './context.ts';
import type { Diagnosis } from './diagnose.ts';
import { diagnose, primaryFinding } from './diagnose.ts';
import { ladderOf, presentIncident } from './present.ts';
import { backendLadderFor } from './backend-ladder.ts';
import { SYSTEM_ACTOR } from './system-actor.ts';
import { notEnabledFor, readServiceIntent } from './not-enabled.ts';
import { readHeld } from './held-components.ts';
import { boundedRead } from './bounded-read.ts';
import { readServerContext, STATE_READ_MS } from './server-context.ts';
import { changeIncident, loadIncident } from './incident-updates.ts';
import { failureText } from './failure-text.ts';
import { publish } from './publish.ts';
import { Coalescer } from '../coalesce.ts';
import type { Card } from '../model/card.ts';
import { auditEvidence, startEvidence, withUnlistedReruns } from './evidence/wiring.ts';
import { absentSets, readRollup } from './read-summary.ts';
import { absentEvent } from './absent.ts';

export function statusOf(d: Diagnosis): IncidentStatus {
  if (d.findings.length === 0) return 'healthy';
  return d.findings.every((f) => f.verdict === 'transient') ? 'transient' : 'confirmed';
}

async function auditDiagnosis(ctx: EngineContext, incident: Incident, actor: Actor, d: Diagnosis): Promise<void> {
  // Each probe run once, even when it serves several monitors or also verified a step.
  const runs = new Map<string, ProbeResult>();
  for (const r of [...d.findings.map((f) => f.probeResult), d.verification?.result])
    if (r) runs.set(`${r.healthSet}\\${r.probe}`, r);
  for (const [probe, r] of runs) {
    await ctx.audit({
      type: 'probe',
      incidentId: incident.id,
      actor,
      data: {
        server: r.server,
        probe,
        resultType: r.resultType,
        durationMs: r.durationMs,
        ...(r.error ? { error: r.error.slice(0, 500) } : {}),
      },
    });
  }
  await ctx.audit({
    type: 'diagnosis',
    incidentId: incident.id,
    actor,
    data: {
      server: incident.server,
      healthSet: incident.healthSet ?? null,
      status: incident.status,
      monitorsRead: d.health.length,
      findings: d.findings.map((f) => ({
        healthSet: f.healthSet,
        monitor: f.monitor,
        verdict: f.verdict,
        backend: f.backend?.server ?? null,
        ...(f.backend?.unreadable ? { backendUnreadable: f.backend.unreadable.code } : {}),
      })),
      probeErrors: d.probeErrors.map((e) => ({ probe: e.probe, code: e.code })),
    },
  });
}

/**
 * Diagnoses `incident` (new or existing) and publishes the result. While it runs, the card shows
 * progress when the surface can update in place.
 */
export interface RunOptions {
  /** Set after an approved operation ran: "resolved" when its monitor is no longer failing. */
  readonly afterAction?: {
    readonly approverNames: string;
    readonly label: string;
    readonly healthSet: string;
    readonly monitor: string;
  };
}

export async function runDiagnosisFor(
  ctx: EngineContext,
  incident: Incident,
  actor: Actor,
  options: RunOptions = {},
): Promise<Incident> {
  // Known to this process's sweep as running, so it is not taken for an interrupted diagnosis.
  ctx.diagnosing.add(incident.id);
  try {
    return await diagnoseAndPublish(ctx, incident, actor, options);
  } finally {
    ctx.diagnosing.delete(incident.id);
  }
}

async function diagnoseAndPublish(
  ctx: EngineContext,
  incident: Incident,
  actor: Actor,
  options: RunOptions = {},
): Promise<Incident> {
  const started = ctx.clock.now().getTime();
  const servers = await ctx.servers();
  const server = servers.find((s) => s.name === incident.server);
  const surface = ctx.surface(incident.conversation);
  // Progress cards for this one message: at most one update in flight, the newest waiting.
  const updates = new Coalescer<Card>({
    clock: ctx.clock,
    send: async (_message, card) => {
      if (incident.messageRef) await surface.update(incident.conversation, incident.messageRef, card);
    },
    failed: (_message, err) => ctx.observer.error?.('progress-update', err),
  });
  // Server components are read beside the probes, not after them: they never wait on each other.
  const runbook = incident.healthSet ? ctx.catalogue.runbookFor(incident.healthSet) : undefined;
  // One reading of the server state serves the held components and the server panel.
  const stateRead = server
    ? boundedRead(ctx.gateway, { kind: 'get-server-state', server: server.name }, STATE_READ_MS)
    : undefined;
  const heldReading = server
    ? readHeld(ctx, server, runbook, incident.held, incident.owed, stateRead)
    : Promise.resolve(undefined);
  const contextReading =
    server && stateRead ? readServerContext(ctx, server, servers, runbook, incident.healthSet, stateRead) : undefined;
  // Before the first service restart: are the services it would restart meant to run at all?
  const beforeFirstStep = !incident.ladder?.position;
  const serviceReading = server && beforeFirstStep ? readServiceIntent(ctx, server, runbook) : Promise.resolve([]);
  // An earlier incident on this server that was left (not closed) may still owe a put-back.
  const elsewhere = ctx.store
    .listIncidents(200, { server: incident.server })
    .then((all) =>
      all
        .filter((i) => i.id !== incident.id && i.server === incident.server && i.status !== 'closed')
        .flatMap((i) => (i.owed ?? []).map((o) => ({ ...o, incidentId: i.id }))),
    )
    .catch((err: unknown) => {
      ctx.observer.error?.('owed-elsewhere', err);
      return [];
    });
  // What Managed Availability already did, probe history, Windows events: beside the probes, each bounded.
  const evidence = server ? startEvidence(ctx, server) : undefined;
  let d: Diagnosis;
  try {
    if (!server)
      throw new HealthbotError('unknown-server', `unknown server ${incident.server}`, { server: incident.server });
    const after = options.afterAction;
    d = await diagnose(
      { gateway: ctx.gateway, catalogue: ctx.catalogue, servers, now: () => ctx.clock.now().getTime() },
      server,
      incident.healthSet,
      (progress) => {
        if (!surface.capabilities.updateInPlace || !incident.messageRef) return;
        updates.offer(
          incident.id,
          presentIncident(ctx, { ...incident, status: 'checking' }, servers, { progress }).card,
        );
      },
      {
        ...(after
          ? { verify: { healthSet: after.healthSet, monitor: after.monitor, ...targetOf(incident, after.monitor) } }
          : {}),
        ...(evidence ? { onHealth: evidence.onHealth } : {}),
      },
    );
  } catch (err) {
    await updates.flush();
    ctx.observer.error?.('diagnosis', err);
    const code = err instanceof HealthbotError ? err.code : 'failed';
    const failure = failureText(ctx.t(incident.locale), err, incident.server);
    await ctx.audit({ type: 'error', incidentId: incident.id, actor, data: { where: 'diagnosis', code } });
    // Applied to the newest version: another change while this ran is kept, not lost or refused.
    return changeIncident(ctx, incident.id, (latest) => ({
      ...latest,
      status: 'failed',
      checkedInMs: ctx.clock.now().getTime() - started,
      lastEvent:
        failure.key === 'errors.internal' ? { key: 'errors.failed', vars: { server: incident.server } } : failure,
    }));
  }
  await updates.flush();
  // Never green on nothing: the set asked about was not read, and nothing else is failing.
  const absent = absentSets(incident.healthSet, d.health);
  if (d.health.length === 0 || (absent.length > 0 && d.findings.length === 0))
    return publishNothingRead(ctx, incident, actor, d, started, absent);
  // The evidence, and for monitors no runbook knows, the generic flow's reruns as their probe results.
  const evidenceRead = await evidence?.settle();
  if (evidenceRead) d = withUnlistedReruns(d, evidenceRead);
  for (const f of d.findings)
    if (f.probeResult) ctx.observer.probe?.(f.probeResult.durationMs, f.probeResult.resultType);
  let status = statusOf(d);
  let lastEvent = incident.lastEvent;
  const after = options.afterAction;
  if (after) {
    // `diagnose` reran the monitor's probe and keeps the monitor as a finding while that probe
    // fails, whatever Get-ServerHealth says; without a fresh result the fix is unconfirmed.
    const stillFailing = d.findings.some((f) => f.monitor === after.monitor && f.verdict !== 'transient');
    if (!stillFailing && status !== 'confirmed') status = 'resolved';
    // A counter-fed monitor has no probe: Get-ServerHealth is its only witness, and the text says so.
    const counterFed = ctx.catalogue.monitor(after.healthSet, after.monitor)?.monitor.probe === undefined;
    const fixed = d.verification?.result ? 'fixed' : counterFed ? 'fixedReported' : 'fixedUnverified';
    const key = stillFailing ? 'action.notFixed' : `action.${fixed}${status === 'resolved' ? '' : 'OthersRemain'}`;
    lastEvent = { key, vars: { who: after.approverNames, label: after.label, monitor: after.monitor } };
  }
  // Components before any action, and after: a server left half out of maintenance still needs it.
  const held = await heldReading;
  const primary = primaryFinding(d.findings, incident.healthSet);
  const owedElsewhere = await elsewhere;
  const serviceStates = await serviceReading;
  const serverContext = await contextReading?.finish(d.health, primary);
  const checkedInMs = ctx.clock.now().getTime() - started;
  // The findings are applied to the newest version of the incident, whoever changed it meanwhile
  // (a click, an approval, another replica's rerun): a diagnosis never loses its compare-and-set.
  const diagnosedFrom = (latest: Incident): Incident => {
    const keepPosition = latest.ladder && primary && !latest.ladder.server && latest.ladder.monitor === primary.monitor;
    // The back-end gate: an unhealthy back end's own ladder replaces the Client Access steps, in place.
    const gate = status === 'confirmed' ? backendLadderFor(ctx, primary) : undefined;
    const onGate = gate && latest.ladder?.server === gate.server && latest.ladder.monitor === gate.monitor;
    const event = after ? lastEvent : latest.lastEvent;
    const {
      lastEvent: _previous,
      held: _held,
      notEnabled: _before,
      owedElsewhere: _earlier,
      absent: _absent,
      ...rest
    } = latest;
    const walked = gate
      ? onGate
        ? latest.ladder!
        : { monitor: gate.monitor, position: 0, server: gate.server }
      : keepPosition
        ? latest.ladder!
        : primary
          ? { monitor: primary.monitor, position: 0 }
          : undefined;
    const ladder = walked && status === 'confirmed' ? { ladder: walked } : {};
    // Before the first service restart on the ladder: is the service meant to run at all?
    const notEnabled =
      status === 'confirmed' && beforeFirstStep
        ? notEnabledFor(serviceStates, ladderOf(ctx, { ...rest, status, findings: d.findings, ...ladder }, servers))
        : (latest.notEnabled ?? []);
    return {
      ...rest,
      ...(held ? { held } : {}),
      ...(serverContext ? { serverContext } : {}),
      ...(notEnabled.length > 0 ? { notEnabled } : {}),
      ...(owedElsewhere.length > 0 ? { owedElsewhere } : {}),
      ...(evidenceRead ? { evidence: evidenceRead } : {}),
      ...(event ? { lastEvent: event } : {}),
      ...(absent.length > 0 ? { absent: { healthSets: absent } } : {}),
      status,
      findings: d.findings,
      rollup: readRollup(d.health, incident.healthSet !== undefined),
      checkedInMs,
      ...ladder,
    };
  };
  ctx.observer.diagnosis?.(checkedInMs, status);
  await auditDiagnosis(ctx, diagnosedFrom(incident), actor, d);
  if (evidenceRead) await auditEvidence(ctx, incident, actor, evidenceRead);
  // changeIncident also anchors the audit trail when this change closes the incident.
  const result = await changeIncident(ctx, incident.id, diagnosedFrom);
  if (result.ladder?.server && incident.ladder?.server !== result.ladder.server) {
    // The timeline says why the ladder changed under everyone's eyes.
    await ctx.audit({
      type: 'check',
      incidentId: incident.id,
      actor: SYSTEM_ACTOR,
      data: {
        operation: { kind: 'get-server-health', server: result.ladder.server },
        summary: `back end ${result.ladder.server} unhealthy: the ladder switched to its ${result.ladder.monitor} ladder; the Client Access steps are not offered`,
        say: { key: 'checks:backendLadder', vars: { server: result.ladder.server, monitor: result.ladder.monitor } },
      },
    });
  }
  return result;
}

/**
 * Get-ServerHealth answered, but with no monitor in scope: nothing was read, so nothing can be
 * called healthy. The card says so (as a check that could not be made) instead of a green
 * "every monitor in scope reports Healthy" over an empty list.
 */
async function publishNothingRead(
  ctx: EngineContext,
  incident: Incident,
  actor: Actor,
  d: Diagnosis,
  started: number,
  absent: readonly string[],
): Promise<Incident> {
  const healthSets = d.scope.length > 0 ? d.scope.join(', ') : '';
  const checkedInMs = ctx.clock.now().getTime() - started;
  // A set asked about and not reported is a neutral "not here?" card listing what was read instead.
  const lastEvent =
    absent.length > 0
      ? await absentEvent(ctx.discovery, d.server, incident.server, absent)
      : {
          key: healthSets ? 'diag.nothingRead' : 'diag.nothingReadServer',
          vars: { server: incident.server, healthSets },
        };
  const nothingFrom = (latest: Incident): Incident => ({
    ...latest,
    status: 'failed',
    findings: [],
    rollup: readRollup(d.health, true),
    ...(absent.length > 0 ? { absent: { healthSets: absent } } : {}),
    checkedInMs,
    lastEvent,
  });
  ctx.observer.diagnosis?.(checkedInMs, 'failed');
  await auditDiagnosis(ctx, nothingFrom(incident), actor, d);
  return changeIncident(ctx, incident.id, nothingFrom);
}

export interface NewDiagnosis {
  readonly conversation: ConversationRef;
  readonly actor: Actor;
  readonly question: string;
  readonly locale: Locale;
  readonly server: ServerInfo;
  readonly healthSet?: string;
  /** The incident's id when the caller reserved one already (an alert keys its problem to it first). */
  readonly id?: string;
  /** An open incident on the same problem, named on the card (ongoing.ts). */
  readonly ongoing?: Ongoing;
}

/** Opens an incident for a question, posts the "checking" card at once, then diagnoses. */
export async function startDiagnosis(ctx: EngineContext, input: NewDiagnosis): Promise<Incident> {
  const now = ctx.clock.now().toISOString();
  const runbook = input.healthSet ? ctx.catalogue.runbookFor(input.healthSet) : undefined;
  const incident: Incident = {
    id: input.id ?? ctx.newId(),
    conversation: input.conversation,
    server: input.server.name,
    ...(input.healthSet ? { healthSet: input.healthSet } : {}),
    ...(runbook ? { runbookId: runbook.id } : {}),
    openedBy: input.actor,
    openedAt: now,
    question: input.question,
    ...(input.ongoing ? { ongoing: input.ongoing } : {}),
    locale: input.locale,
    status: 'checking',
    findings: [],
    version: 1,
    updatedAt: now,
  };
  // Ours from the first moment: this process's sweep must not take it for an interrupted one.
  ctx.diagnosing.add(incident.id);
  try {
    await ctx.store.insertIncident(incident);
    await ctx.audit({
      type: 'command',
      incidentId: incident.id,
      actor: input.actor,
      data: { conversation: input.conversation, text: input.question.slice(0, 500), intent: 'diagnose' },
    });
    const published = await publish(ctx, incident);
    const posted = published.committed ? published.incident : await loadIncident(ctx, incident.id);
    await ctx.store.putConversation({
      conversation: input.conversation,
      lastServer: input.server.name,
      ...(input.healthSet ? { lastHealthSet: input.healthSet } : {}),
      lastIncidentId: incident.id,
      updatedAt: now,
    });
    return await runDiagnosisFor(ctx, posted, input.actor);
  } finally {
    ctx.diagnosing.delete(incident.id);
  }
}

/** The acted-on monitor's TargetResource as the incident last saw it, to rerun the same probe instance. */
function targetOf(incident: Incident, monitor: string): { targetResource?: string } {
  const targetResource = incident.findings.find(
    (f) => f.monitor.toLowerCase() === monitor.toLowerCase(),
  )?.targetResource;
  return targetResource ? { targetResource } : {};
}
