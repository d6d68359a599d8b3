/**
 * The time-boxed override, offered for an alert that is noise (the protocol is deliberately off
 * on this server): Add-ServerMonitoringOverride -Duration switches the failing monitor off here
 * for at most the policy's maximum. It needs an approval like any action, it ends by itself, and
 * its end is recorded in the timeline when the timer fires (checked against the server).
 */
import type { Incident } from '../model/incident.ts';
import type { OperationOf } from '../model/operations.ts';
import { primaryFinding } from './diagnose.ts';
import type { EngineContext } from './context.ts';
import { boundedRead } from './bounded-read.ts';
import { changeIncident } from './incident-updates.ts';
import { isNoise } from './not-enabled.ts';
import { DEFAULT_OVERRIDE_MAX_HOURS } from './overrides.ts';
import { SIDE_READ_MS } from './server-context.ts';
import { SYSTEM_ACTOR } from './system-actor.ts';
import { clockTime } from './views/format.ts';
import { whyNotRead } from './check-say.ts';
import type { Said } from './views/values.ts';

export const OVERRIDE_STEP = 'monitoring-override';
const TIMER = 'override-expiry';

export function maxOverrideMinutes(ctx: Pick<EngineContext, 'policy'>): number {
  return (ctx.policy.maxOverrideHours ?? DEFAULT_OVERRIDE_MAX_HOURS) * 60;
}

/** The override this incident would be offered now, or undefined. */
export function overrideOffer(
  ctx: Pick<EngineContext, 'policy'>,
  incident: Incident,
): OperationOf<'add-monitoring-override'> | undefined {
  if (!isNoise(incident)) return undefined;
  const f = primaryFinding(incident.findings, incident.healthSet);
  if (!f) return undefined;
  return {
    kind: 'add-monitoring-override',
    server: incident.server,
    healthSet: f.healthSet,
    item: f.monitor,
    itemType: 'Monitor',
    ...(f.targetResource ? { targetResource: f.targetResource } : {}),
    durationMinutes: maxOverrideMinutes(ctx),
  };
}

/** After the override was added: a durable timer at its end, which records the end in the timeline. */
export async function scheduleOverrideEnd(
  ctx: EngineContext,
  incidentId: string,
  op: OperationOf<'add-monitoring-override'>,
): Promise<void> {
  const dueAt = new Date(ctx.clock.now().getTime() + op.durationMinutes * 60_000).toISOString();
  await ctx.store.scheduleTimer({
    id: `${TIMER}:${incidentId}:${ctx.newId()}`,
    incidentId,
    dueAt,
    payload: { type: TIMER, server: op.server, healthSet: op.healthSet, item: op.item },
  });
}

export function isOverrideTimer(p: { readonly type: string }): boolean {
  return p.type === TIMER;
}

/** The override's time is up: look whether the server still lists it, and record what was found. */
export async function overrideEnded(
  ctx: EngineContext,
  incidentId: string,
  p: { readonly [key: string]: unknown },
): Promise<void> {
  const server = String(p.server);
  const healthSet = String(p.healthSet);
  const item = String(p.item);
  const op = { kind: 'get-monitoring-overrides', server, healthSets: [healthSet] } as const;
  const read = await boundedRead(ctx.gateway, op, SIDE_READ_MS);
  const still =
    read.status === 'read' &&
    read.value.overrides.some(
      (o) =>
        o.scope === 'server' && o.item.toLowerCase() === item.toLowerCase() && o.property.toLowerCase() === 'enabled',
    );
  const summary =
    read.status !== 'read'
      ? `override ${healthSet}\\${item} on ${server} due to end; not confirmed (${read.status})`
      : still
        ? `override ${healthSet}\\${item} on ${server} is still listed after its end`
        : `override ${healthSet}\\${item} on ${server} ended by itself`;
  const vars = { item: `${healthSet}\\${item}`, server };
  const say: Said =
    read.status !== 'read'
      ? { key: 'checks:override.unconfirmed', vars, parts: { why: whyNotRead(read) } }
      : { key: still ? 'checks:override.stillListed' : 'checks:override.ended', vars };
  await ctx.audit({ type: 'check', incidentId, actor: SYSTEM_ACTOR, data: { operation: op, summary, say } });
  const incident = await ctx.store.getIncident(incidentId);
  if (!incident) return;
  await changeIncident(ctx, incidentId, (i) => ({
    ...i,
    lastEvent: {
      key: read.status === 'read' && !still ? 'serverstate:overrideExpired' : 'serverstate:overrideEndUnconfirmed',
      vars: {
        server,
        item: `${healthSet}\\${item}`,
        time: clockTime(ctx.clock.now().toISOString(), ctx.timeZone, i.locale),
      },
    },
  }));
}
