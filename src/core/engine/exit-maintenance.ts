/**
 * Leaving maintenance as one approved step. A server left in maintenance after patching is held
 * by several things at once: ServerWideOffline (and HubTransport, ...) by the Maintenance
 * requester, a paused cluster node, blocked database activation. Lifting one of them is half out
 * of maintenance, so they are offered together, in the documented order: ServerWideOffline Active,
 * Resume-ClusterNode, activation allowed (Unrestricted), then the remaining components with
 * HubTransport last. Each step carries its put-back: when one fails, the steps that ran are put
 * back in reverse, and the outcome says exactly which ran, which failed and what was put back.
 */
import { GatewayError, HealthbotError, userMessage } from '../errors.ts';
import type { ActionOutcome, OutcomeSay } from '../model/exchange.ts';
import type { HeldComponents } from '../model/incident.ts';
import type { ComponentRequester, MaintenanceOperation, MaintenanceStep, OperationOf } from '../model/operations.ts';
import { isComponentName } from '../model/operations.ts';
import type { EngineContext } from './context.ts';

const MAINTENANCE: ComponentRequester = 'Maintenance';
/** Components that come back before the rest: the server first, mail flow last (documented order). */
const FIRST = 'serverwideoffline';
const LAST = 'hubtransport';

export const EXIT_MAINTENANCE_STEP = 'exit-maintenance';

/** The one step that takes `server` out of maintenance, or undefined when maintenance holds nothing. */
export function maintenancePlan(
  held: HeldComponents | undefined,
  server: string,
): OperationOf<'exit-maintenance'> | undefined {
  if (!held || held.unreadable) return undefined;
  const components = held.components.flatMap((c) => {
    const mine = c.requesters.find((r) => r.requester === MAINTENANCE && r.state !== 'Active');
    return mine && isComponentName(c.component)
      ? [{ component: c.component, was: mine.state as 'Inactive' | 'Draining' }]
      : [];
  });
  if (components.length === 0) return undefined;
  const rank = (name: string) => (name.toLowerCase() === FIRST ? 0 : name.toLowerCase() === LAST ? 2 : 1);
  const ordered = [...components].sort((a, b) => rank(a.component) - rank(b.component));
  const component = (c: (typeof ordered)[number]): MaintenanceStep => ({
    do: { kind: 'set-server-component-state', server, component: c.component, state: 'Active', requester: MAINTENANCE },
    undo: { kind: 'set-server-component-state', server, component: c.component, state: c.was, requester: MAINTENANCE },
  });
  const steps: MaintenanceStep[] = ordered.filter((c) => rank(c.component) === 0).map(component);
  if (held.clusterNode === 'Paused')
    steps.push({
      do: { kind: 'set-cluster-node', server, action: 'resume' },
      undo: { kind: 'set-cluster-node', server, action: 'suspend' },
    });
  if (held.activationBlocked) {
    steps.push({
      do: { kind: 'set-database-activation', server, mode: 'allow', restorePolicy: 'Unrestricted' },
      undo: { kind: 'set-database-activation', server, mode: 'move-now' },
    });
  }
  steps.push(...ordered.filter((c) => rank(c.component) > 0).map(component));
  return { kind: 'exit-maintenance', server, steps };
}

type Run = { readonly state: 'succeeded' | 'failed' | 'outcome-unknown'; readonly outcome: ActionOutcome };

/** Short, factual, not localised: what a step did (for the outcome and the audit trail). */
function describe(op: MaintenanceOperation): string {
  if (op.kind !== 'set-database-activation') return stepName(op);
  return op.mode === 'allow' ? `activation allowed (${op.restorePolicy ?? 'unchanged policy'})` : 'activation blocked';
}

/**
 * A step as a person reads it in any language: Exchange's own names (a component and its state, a
 * cmdlet, a parameter), which the cards already show as written, never an English phrase.
 */
function stepName(op: MaintenanceOperation): string {
  switch (op.kind) {
    case 'set-server-component-state':
      return `${op.component} ${op.state}`;
    case 'set-cluster-node':
      return op.action === 'resume' ? 'Resume-ClusterNode' : 'Suspend-ClusterNode';
    case 'set-database-activation':
      return op.mode === 'allow'
        ? `DatabaseCopyAutoActivationPolicy ${op.restorePolicy ?? ''}`.trim()
        : 'DatabaseCopyActivationDisabledAndMoveNow';
  }
}

async function attempt(
  ctx: EngineContext,
  op: MaintenanceOperation,
): Promise<{ ok: boolean; unknown: boolean; detail: string; say?: OutcomeSay }> {
  try {
    const outcome = await ctx.gateway.run(op, { timeoutMs: ctx.actionTimeoutMs });
    return { ok: outcome.ok, unknown: false, detail: outcome.detail, ...(outcome.say ? { say: outcome.say } : {}) };
  } catch (err) {
    ctx.observer.error?.('exit-maintenance', err);
    const unknown = err instanceof GatewayError && (err.code === 'timeout' || err.code === 'crashed');
    // Why it failed, for a person: the error's own message key (`errors.timeout`), naming the server.
    const message = userMessage(err, { server: op.server });
    return {
      ok: false,
      unknown,
      detail: err instanceof HealthbotError ? `${err.code}: ${err.message}` : String(err),
      say: { code: message.key, vars: message.vars },
    };
  }
}

/** What a failed exit said to a person: which step failed and why, what ran before it, what was put back. */
function failureSay(
  server: string,
  failed: { step: MaintenanceOperation; unknown: boolean; say?: OutcomeSay },
  ran: readonly MaintenanceOperation[],
  putBack: readonly MaintenanceOperation[],
  notPutBack: readonly MaintenanceOperation[],
): OutcomeSay {
  const names = (ops: readonly MaintenanceOperation[]) => ops.map(stepName).join(', ');
  const then: OutcomeSay[] = [
    ...(failed.say ? [failed.say] : []),
    ran.length > 0
      ? { code: 'maintenanceRanBefore', vars: { steps: names(ran) } }
      : { code: 'maintenanceNothingRanBefore', vars: {} },
    ...(putBack.length > 0 ? [{ code: 'maintenancePutBack', vars: { steps: names(putBack) } }] : []),
    ...(notPutBack.length > 0 ? [{ code: 'maintenanceNotPutBack', vars: { steps: names(notPutBack) } }] : []),
  ];
  return {
    code: failed.unknown ? 'maintenanceStepUnknown' : 'maintenanceStepFailed',
    vars: { server, step: stepName(failed.step) },
    then,
  };
}

/** Runs the steps in order; on a failure puts back what ran, newest first, and says exactly what happened. */
export async function runExitMaintenance(ctx: EngineContext, op: OperationOf<'exit-maintenance'>): Promise<Run> {
  const done: MaintenanceStep[] = [];
  for (const step of op.steps) {
    const result = await attempt(ctx, step.do);
    if (result.ok) {
      done.push(step);
      continue;
    }
    const ran = done.map((s) => describe(s.do));
    const putBack: string[] = [];
    const notPutBack: string[] = [];
    const undone: { ok: MaintenanceOperation[]; not: MaintenanceOperation[] } = { ok: [], not: [] };
    for (const earlier of [...done].reverse()) {
      const undo = await attempt(ctx, earlier.undo);
      (undo.ok ? putBack : notPutBack).push(
        undo.ok ? describe(earlier.undo) : `${describe(earlier.undo)} (${undo.detail})`,
      );
      (undo.ok ? undone.ok : undone.not).push(earlier.undo);
    }
    const parts = [
      `${describe(step.do)} ${result.unknown ? 'outcome unknown' : 'failed'}: ${result.detail}`,
      ran.length > 0 ? `ran before it: ${ran.join(', ')}` : 'nothing ran before it',
      ...(putBack.length > 0 ? [`put back: ${putBack.join(', ')}`] : []),
      ...(notPutBack.length > 0 ? [`NOT put back, still as changed: ${notPutBack.join(', ')}`] : []),
    ];
    // A step whose outcome is unknown, or a put-back that failed, leaves the server in a state only a reading can tell.
    return {
      state: result.unknown || notPutBack.length > 0 ? 'outcome-unknown' : 'failed',
      outcome: {
        ok: false,
        detail: `${op.server} not taken out of maintenance: ${parts.join('; ')}`,
        say: failureSay(
          op.server,
          { step: step.do, unknown: result.unknown, ...(result.say ? { say: result.say } : {}) },
          done.map((s) => s.do),
          undone.ok,
          undone.not,
        ),
      },
    };
  }
  return {
    state: 'succeeded',
    outcome: {
      ok: true,
      detail: `${op.server} out of maintenance: ${op.steps.map((s) => describe(s.do)).join(', ')}`,
      say: { code: 'outOfMaintenance', vars: { server: op.server } },
    },
  };
}
