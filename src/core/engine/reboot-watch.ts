/**
 * A restart is waited out before anything is judged. `restart-server` only schedules the restart,
 * so the server may still answer for a while; a durable timer then reads the server's state until
 * it answers again with a newer LastBootUpTime, its Exchange services run and every component is
 * Active, then gives Managed Availability its settle time before the probe is rerun. A server
 * that is not back within the limit is reported as such and never called resolved.
 */
import { GatewayError } from '../errors.ts';
import type { ServerState } from '../model/exchange.ts';
import type { Incident, RebootPhase, RebootWatch } from '../model/incident.ts';
import { REBOOT_PHASES } from '../model/incident.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { runDiagnosisFor } from './run-diagnosis.ts';
import { SYSTEM_ACTOR } from './system-actor.ts';
import { rebootPhaseSay } from './check-say.ts';

export interface RebootWatchSettings {
  /** How often the server's state is read while it comes back. */
  readonly pollSeconds: number;
  /** Managed Availability's settle time once everything is up, before the probe is rerun. */
  readonly settleSeconds: number;
  /** A server not back (services and components included) within this is reported as not back. */
  readonly limitMinutes: number;
}

export const DEFAULT_REBOOT_WATCH: RebootWatchSettings = { pollSeconds: 30, settleSeconds: 600, limitMinutes: 30 };

const REBOOT_TIMER = 'reboot';

async function schedule(ctx: EngineContext, incidentId: string, at: Date): Promise<void> {
  await ctx.store.scheduleTimer({
    id: `${REBOOT_TIMER}:${incidentId}:${ctx.newId()}`,
    incidentId,
    dueAt: at.toISOString(),
    payload: { type: REBOOT_TIMER },
  });
}

export function isRebootTimer(payload: { readonly type: string }): boolean {
  return payload.type === REBOOT_TIMER;
}

/** While a restart is waited out, the ladder is paused: nothing on it can be clicked. */
export function rebootInProgress(incident: Pick<Incident, 'reboot'>): boolean {
  return incident.reboot !== undefined && incident.reboot.phase !== 'not-back';
}

export async function beginRebootWatch(
  ctx: EngineContext,
  incidentId: string,
  server: string,
  after: RebootWatch['after'],
): Promise<void> {
  const now = ctx.clock.now();
  // Components the planned restart took offline (their put-back is owed) stay Inactive on purpose.
  const owed = (await ctx.store.getIncident(incidentId))?.owed ?? [];
  const expectInactive = owed.flatMap((o) =>
    o.operation.kind === 'set-server-component-state' && o.operation.server === server ? [o.operation.component] : [],
  );
  const watch: RebootWatch = {
    ...(expectInactive.length > 0 ? { expectInactive } : {}),
    server,
    issuedAt: now.toISOString(),
    phase: 'going-down',
    seen: {},
    deadline: new Date(now.getTime() + ctx.reboot.limitMinutes * 60_000).toISOString(),
    after,
  };
  await changeIncident(ctx, incidentId, (i) => ({
    ...i,
    reboot: watch,
    lastEvent: { key: 'reboot.started', vars: { who: after.approverNames, label: after.label, server } },
  }));
  await schedule(ctx, incidentId, new Date(now.getTime() + ctx.reboot.pollSeconds * 1000));
}

/** The next state of the watch from one reading (undefined: the server did not answer). */
export function nextWatch(
  w: RebootWatch,
  state: ServerState | undefined,
  now: Date,
  settleSeconds: number,
): RebootWatch {
  const at = now.toISOString();
  const seen: Partial<Record<RebootPhase, string>> = { ...w.seen };
  let waitingOn: string[] = [];
  const rebooted = state !== undefined && Date.parse(state.lastBootUpTime) > Date.parse(w.issuedAt);
  // Not answering, or answering with a newer boot time, both mean it went down.
  if (!state || rebooted) seen['going-down'] ??= at;
  if (state && rebooted) {
    seen.booted ??= at;
    if (state.servicesNotRunning.length === 0) seen.services ??= at;
    else waitingOn = [...state.servicesNotRunning];
    const inactive = state.components.filter(
      (c) => c.state !== 'Active' && !(w.expectInactive ?? []).includes(c.component),
    );
    if (seen.services && inactive.length === 0) seen.components ??= at;
    else if (seen.services) waitingOn = inactive.map((c) => `${c.component} ${c.state}`);
  }
  const phase = REBOOT_PHASES.find((p) => !seen[p]) ?? 'settling';
  const settleUntil =
    phase === 'settling' ? (w.settleUntil ?? new Date(now.getTime() + settleSeconds * 1000).toISOString()) : undefined;
  const { settleUntil: _old, waitingOn: _w, ...rest } = w;
  return {
    ...rest,
    phase,
    seen,
    ...(settleUntil ? { settleUntil } : {}),
    ...(waitingOn.length > 0 ? { waitingOn } : {}),
  };
}

async function readState(ctx: EngineContext, server: string): Promise<ServerState | undefined> {
  try {
    return await ctx.gateway.run({ kind: 'get-server-state', server });
  } catch (err) {
    // A restarting server does not answer: that is a phase, not a failure. Anything else is logged.
    if (!(err instanceof GatewayError && (err.code === 'unavailable' || err.code === 'timeout')))
      ctx.observer.error?.('reboot', err);
    return undefined;
  }
}

/** A reboot timer fired: read the server, move the watch on, and judge only when it is over. */
export async function checkReboot(ctx: EngineContext, incidentId: string): Promise<void> {
  const incident = await ctx.store.getIncident(incidentId);
  const w = incident?.reboot;
  if (!incident || !w || w.phase === 'not-back') return;
  const now = ctx.clock.now();
  if (w.phase === 'settling' && w.settleUntil) {
    if (now.getTime() < Date.parse(w.settleUntil)) return schedule(ctx, incidentId, new Date(w.settleUntil));
    await ctx.audit({
      type: 'check',
      incidentId,
      actor: SYSTEM_ACTOR,
      data: {
        operation: { kind: 'get-server-state', server: w.server },
        summary: `restart of ${w.server} waited out; settle time over`,
        say: { key: 'checks:reboot.settled', vars: { server: w.server } },
      },
    });
    const over = await changeIncident(ctx, incidentId, (i) => {
      const { reboot: _done, ...rest } = i;
      return rest;
    });
    await runDiagnosisFor(ctx, over, SYSTEM_ACTOR, { afterAction: w.after });
    return;
  }
  const state = await readState(ctx, w.server);
  const next = nextWatch(w, state, now, ctx.reboot.settleSeconds);
  const reached = REBOOT_PHASES.filter((p) => next.seen[p] && !w.seen[p]);
  for (const phase of reached) {
    await ctx.audit({
      type: 'check',
      incidentId,
      actor: SYSTEM_ACTOR,
      data: {
        operation: { kind: 'get-server-state', server: w.server },
        summary: `restart of ${w.server}: ${phase} done`,
        say: rebootPhaseSay(w.server, phase),
      },
    });
  }
  if (next.phase !== 'settling' && now.getTime() >= Date.parse(w.deadline)) {
    // Never resolved: a server that is not back is a finding of its own, for a person.
    await ctx.audit({
      type: 'error',
      incidentId,
      actor: SYSTEM_ACTOR,
      data: { where: 'reboot', code: 'not-back', server: w.server, phase: next.phase },
    });
    await changeIncident(ctx, incidentId, (i) => ({
      ...i,
      reboot: { ...next, phase: 'not-back' },
      lastEvent: {
        key: 'reboot.notBack',
        vars: { server: w.server, minutes: ctx.reboot.limitMinutes, phase: next.phase },
      },
    }));
    return;
  }
  await changeIncident(ctx, incidentId, (i) => ({ ...i, reboot: next }));
  const due =
    next.phase === 'settling' && next.settleUntil
      ? new Date(next.settleUntil)
      : new Date(now.getTime() + ctx.reboot.pollSeconds * 1000);
  await schedule(ctx, incidentId, due);
}
