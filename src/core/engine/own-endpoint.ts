/**
 * An IISReset, or a restart, of the server whose Exchange endpoint the bot itself uses would cut
 * the bot's own session in the middle of its work. The approval card warns of it; right before the
 * step runs, the gateway moves to another configured endpoint, or the step is refused with a
 * clear reason when there is none.
 */
import type { Operation } from '../model/operations.ts';
import type { Translate } from '../ports/i18n.ts';
import type { EngineContext } from './context.ts';
import type { Blocked } from './restart-preconditions.ts';
import { SYSTEM_ACTOR } from './system-actor.ts';
import { joinList } from './views/values.ts';

const same = (a: string, b: string) => a.split('.')[0]!.toLowerCase() === b.split('.')[0]!.toLowerCase();

/** The server of an operation that would cut the bot's own endpoint, if it is one. */
function ownEndpointHit(
  ctx: Pick<EngineContext, 'gateway'>,
  op: Operation,
): { server: string; others: string[] } | undefined {
  if (op.kind !== 'iis-reset' && op.kind !== 'restart-server') return undefined;
  const endpoints = ctx.gateway.endpointServers?.() ?? [];
  if (!endpoints.some((e) => same(e, op.server))) return undefined;
  return { server: op.server, others: endpoints.filter((e) => !same(e, op.server)) };
}

/** The warning for the approval card, when the operation hits the bot's own endpoint. */
export function ownEndpointNote(ctx: Pick<EngineContext, 'gateway'>, t: Translate, op: Operation): string | undefined {
  const hit = ownEndpointHit(ctx, op);
  if (!hit) return undefined;
  return hit.others.length > 0
    ? t('endpoint.willSwitch', { server: hit.server, other: joinList(t, hit.others) })
    : t('endpoint.noOther', { server: hit.server });
}

/** Right before the step runs: move the gateway off the server's endpoint, or say why it cannot run. */
export async function leaveOwnEndpoint(
  ctx: EngineContext,
  incidentId: string,
  op: Operation,
): Promise<Blocked | undefined> {
  const hit = ownEndpointHit(ctx, op);
  if (!hit) return undefined;
  const to = hit.others.length > 0 ? await ctx.gateway.leaveEndpoint?.(hit.server) : undefined;
  if (!to) return { key: 'precondition.ownEndpoint', vars: { server: hit.server } };
  await ctx.audit({
    type: 'check',
    incidentId,
    actor: SYSTEM_ACTOR,
    data: {
      operation: { kind: 'get-server-state', server: hit.server },
      summary: `the bot's Exchange endpoint moved from ${hit.server} to ${to} before ${op.kind} on ${hit.server}`,
      say: {
        key: 'checks:endpointMoved',
        vars: { from: hit.server, to },
        parts: { step: { key: `engine:op.${op.kind}.label`, vars: { server: hit.server } } },
      },
    },
  });
  return undefined;
}
