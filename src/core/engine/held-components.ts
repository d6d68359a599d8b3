/**
 * Server components before any action. A component the health set depends on that is not Active
 * (ImapProxy, EcpProxy, ServerWideOffline left by maintenance) is lifted only by setting it Active
 * with the requester that holds it: a recycle, a service restart or a reboot would not. So while
 * one is held, those fixes are offered first and the ladder waits. Which components matter is data
 * (the runbook's `components`), and so is everything else: no component name is special here.
 */
import type { ServerInfo, ServerState } from '../model/exchange.ts';
import type { ReadOutcome } from './bounded-read.ts';
import type { Approval, HeldComponents, Incident, OwedStep } from '../model/incident.ts';
import type { Operation } from '../model/operations.ts';
import { COMPONENT_REQUESTERS, isComponentName } from '../model/operations.ts';
import type { ComponentRequester } from '../model/operations.ts';
import type { Runbook } from '../model/runbook.ts';
import { owedStep } from './compensation.ts';
import { clusterNodeFor, withMaintenanceGrouped } from './server-context.ts';
import type { EngineContext } from './context.ts';

const isRequester = (r: string): r is ComponentRequester => (COMPONENT_REQUESTERS as readonly string[]).includes(r);

/** Reads the server's components; undefined when the runbook names none. */
/** Components this incident set on purpose (a planned restart): their put-back is owed, not a fix. */
export function expectedInactive(
  owed: readonly OwedStep[] | undefined,
  server: string,
): { components: Set<string>; activation: boolean } {
  const ops = (owed ?? []).map((o) => o.operation).filter((op) => op.server.toLowerCase() === server.toLowerCase());
  return {
    components: new Set(
      ops.flatMap((op) =>
        op.kind === 'set-server-component-state' ? [`${op.component}|${op.requester}`.toLowerCase()] : [],
      ),
    ),
    activation: ops.some((op) => op.kind === 'set-database-activation' && op.mode === 'allow'),
  };
}

export async function readHeld(
  ctx: EngineContext,
  server: ServerInfo,
  runbook: Runbook | undefined,
  previous?: HeldComponents,
  owed?: readonly OwedStep[],
  /** The server state when the caller already reads it (the card's server panel reads it too). */
  preRead?: Promise<ReadOutcome<ServerState>>,
): Promise<HeldComponents | undefined> {
  // What an earlier reading found held stays of interest until it is Active again (half out of
  // maintenance is not out), as do the runbook's own components.
  const wanted = [
    ...new Set([...(runbook?.components ?? []), ...(previous?.components.map((c) => c.component) ?? [])]),
  ];
  if (wanted.length === 0) return undefined;
  let state;
  try {
    const shared = preRead ? await preRead : undefined;
    if (shared && shared.status !== 'read') throw new Error(`get-server-state ${shared.status}`);
    state =
      shared?.status === 'read'
        ? shared.value
        : await ctx.gateway.run({ kind: 'get-server-state', server: server.name });
  } catch (err) {
    ctx.observer.error?.('components', err);
    return { components: [], activationBlocked: false, unreadable: true };
  }
  const held = (name: string) =>
    state.components.find((c) => c.component.toLowerCase() === name.toLowerCase() && c.state !== 'Active');
  const direct = wanted.flatMap((name) => held(name) ?? []);
  // Whoever holds one of these (maintenance, say) usually holds more: show and lift those too.
  const holders = new Set(
    direct.flatMap((c) => c.requesters.filter((r) => r.state !== 'Active').map((r) => r.requester)),
  );
  const alongside = state.components.filter(
    (c) =>
      c.state !== 'Active' &&
      !direct.includes(c) &&
      c.requesters.some((r) => r.state !== 'Active' && holders.has(r.requester)),
  );
  const expected = expectedInactive(owed, server.name);
  const components = [...direct, ...alongside].filter(
    (c) =>
      !c.requesters
        .filter((r) => r.state !== 'Active')
        .every((r) => expected.components.has(`${c.component}|${r.requester}`.toLowerCase())),
  );
  const activation = state.activation;
  const activationBlocked =
    !expected.activation &&
    (components.length > 0 || previous?.activationBlocked === true) &&
    activation !== undefined &&
    (activation.disabledAndMoveNow || activation.policy === 'Blocked');
  return { components, activationBlocked, ...(await clusterNodeFor(ctx, server, components)) };
}

export interface HeldFix {
  readonly stepId: string;
  readonly operation: Operation;
  /** The requester that holds the component, when it is one. */
  readonly requester?: ComponentRequester;
}

/** What lifts each held component (Active, with the requester that holds it), then activation. */
export function fixesFor(held: HeldComponents | undefined, server: string): HeldFix[] {
  if (!held || held.unreadable) return [];
  const fixes: HeldFix[] = [];
  for (const c of held.components) {
    if (!isComponentName(c.component)) continue;
    for (const r of c.requesters) {
      if (r.state === 'Active' || !isRequester(r.requester)) continue;
      fixes.push({
        stepId: `component-${c.component}-${r.requester}`.toLowerCase(),
        requester: r.requester,
        operation: {
          kind: 'set-server-component-state',
          server,
          component: c.component,
          state: 'Active',
          requester: r.requester,
        },
      });
    }
  }
  if (held.activationBlocked)
    fixes.push({ stepId: 'activation-allow', operation: { kind: 'set-database-activation', server, mode: 'allow' } });
  return withMaintenanceGrouped(fixes, held, server);
}

/**
 * Steps that put the server back as it should be (owed compensations, held components) run even
 * when the monitor already reads healthy: the monitor is not what they repair.
 */
export function repairsServerState(incident: Incident, approval: Pick<Approval, 'monitor' | 'stepId'>): boolean {
  return (
    owedStep(incident, approval.monitor, approval.stepId) !== undefined ||
    fixesFor(incident.held, incident.server).some((f) => f.stepId === approval.stepId)
  );
}
