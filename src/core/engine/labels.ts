/**
 * Words for operations and steps. Labels of operations come from the catalogue's texts
 * (`op.<kind>.label`), so every runbook that restarts a service says it the same way.
 */
import type { Operation } from '../model/operations.ts';
import { OPERATION_TRAITS } from '../model/operations.ts';
import type { Step } from '../model/runbook.ts';
import type { Translate } from '../ports/i18n.ts';

export function operationVars(op: Operation): Record<string, string | number> {
  const vars: Record<string, string | number> = { server: op.server };
  if ('service' in op) vars.service = op.service;
  if ('appPool' in op) vars.appPool = op.appPool;
  if ('protocol' in op) vars.protocol = op.protocol.toUpperCase();
  if (op.kind === 'invoke-probe') vars.probe = `${op.healthSet}\\${op.probe}`;
  if (op.kind === 'get-server-health') vars.healthSets = (op.healthSets ?? []).join(', ');
  if (op.kind === 'redirect-messages') vars.target = op.target;
  if (op.kind === 'get-monitoring-item-identity') vars.healthSet = op.healthSet;
  if (op.kind === 'set-server-component-state')
    Object.assign(vars, { component: op.component, state: op.state, requester: op.requester });
  if (op.kind === 'add-monitoring-override')
    Object.assign(vars, {
      item: [op.healthSet, op.item, ...(op.targetResource ? [op.targetResource] : [])].join('\\'),
      minutes: op.durationMinutes,
    });
  return vars;
}

export function operationLabel(t: Translate, op: Operation): string {
  if (op.kind === 'set-database-activation') return t(`op.set-database-activation.${op.mode}`, operationVars(op));
  if (op.kind === 'set-protocol-logging')
    return t(`op.set-protocol-logging.${op.enabled ? 'on' : 'off'}`, operationVars(op));
  if (op.kind === 'set-server-component-state')
    return t(`op.set-server-component-state.${op.state}`, operationVars(op));
  if (op.kind === 'set-cluster-node') return t(`op.set-cluster-node.${op.action}`, operationVars(op));
  if (op.kind === 'exit-maintenance')
    return t('op.exit-maintenance.label', {
      server: op.server,
      steps: op.steps.map((s) => operationLabel(t, s.do)).join('; '),
    });
  if (op.kind === 'get-server-health' && (op.healthSets ?? []).length === 0)
    return t('op.get-server-health.all', operationVars(op));
  return t(`op.${op.kind}.label`, operationVars(op));
}

/** What users notice while a state-changing operation runs (catalogue default). */
export function operationImpact(t: Translate, op: Operation): string {
  return OPERATION_TRAITS[op.kind].changesState ? t(`op.${op.kind}.impact`, operationVars(op)) : '';
}

/**
 * A step's short label. Manual steps are runbook text that may name the server (`{{server}}`):
 * `server` is the one the ladder is about, so the label never shows a placeholder.
 */
export function stepLabel(t: Translate, step: Step, op: Operation | undefined, server?: string): string {
  switch (step.kind) {
    case 'probe':
      return op ? operationLabel(t, op) : t('step.probe');
    case 'check':
    case 'action':
      return op ? operationLabel(t, op) : t('step.unavailable');
    case 'wait':
      return t('step.wait', { minutes: step.minutes });
    case 'manual':
      return t(`runbooks:${step.text}`, server ? { server } : {});
    case 'escalate':
      return t('step.escalate');
  }
}

/** The impact line for an action step: the runbook's own words first, else the catalogue's. */
export function stepImpact(t: Translate, step: Step, op: Operation | undefined): string | undefined {
  if (step.kind !== 'action') return undefined;
  return step.impactNote ? t(`runbooks:${step.impactNote}`, op ? operationVars(op) : {}) : op && operationImpact(t, op);
}
