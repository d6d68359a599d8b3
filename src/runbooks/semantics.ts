/**
 * What a schema cannot say: references that must resolve inside the runbook, operations that fit
 * their step kind and carry the parameters they need, and the mistakes Microsoft's own articles
 * make (a monitor name where Invoke-MonitoringProbe needs a probe name).
 */
import type { OperationKind } from '../core/index.ts';
import { OPERATION_TRAITS } from '../core/index.ts';
import type { RunbookFile } from './schema.ts';

export type Path = readonly (string | number)[];
export interface SemanticProblem {
  readonly path: Path;
  readonly message: string;
}

type ParamName =
  'service' | 'appPool' | 'protocol' | 'enabled' | 'mode' | 'healthSets' | 'component' | 'state' | 'requester';

/** The parameters each operation needs, and those it may take. */
const PARAMS: Readonly<Record<OperationKind, { required: readonly ParamName[]; optional?: readonly ParamName[] }>> = {
  'get-server-health': { required: [], optional: ['healthSets'] },
  'invoke-probe': { required: [] },
  'get-service': { required: ['service'] },
  'restart-service': { required: ['service'] },
  'get-app-pool': { required: ['appPool'] },
  'recycle-app-pool': { required: ['appPool'] },
  'iis-reset': { required: [] },
  'restart-server': { required: [] },
  'set-database-activation': { required: ['mode'] },
  'get-database-copy-status': { required: [] },
  'get-protocol-logging': { required: ['protocol'] },
  'set-protocol-logging': { required: ['protocol', 'enabled'] },
  'get-restart-readiness': { required: [] },
  'get-server-state': { required: [] },
  'set-server-component-state': { required: ['component', 'state', 'requester'] },
  'redirect-messages': { required: [] },
  'rebalance-databases': { required: [] },
  'get-monitoring-mailboxes': { required: [] },
  'get-directory-servers': { required: [] },
  'get-cluster-node': { required: [] },
  'set-cluster-node': { required: [] },
  'get-monitoring-overrides': { required: [] },
  'add-monitoring-override': { required: [] },
  'exit-maintenance': { required: [] },
  'get-recovery-actions': { required: [] },
  'get-probe-history': { required: [] },
  'get-windows-events': { required: [] },
  'get-monitoring-item-identity': { required: [] },
  'get-queue': { required: [] },
  'test-service-health': { required: [] },
  'test-replication-health': { required: [] },
  'get-dag-status': { required: [] },
  'get-website': { required: [] },
  'get-monitoring-items': { required: [], optional: ['healthSets'] },
};

export function checkRunbook(rb: RunbookFile): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const own = new Set(rb.healthSets.map((h) => h.name));
  const probes = new Map(rb.probes.map((p) => [p.name, p]));

  rb.probes.forEach((p, i) => {
    if (!own.has(p.healthSet))
      problems.push({
        path: ['probes', i, 'healthSet'],
        message: `${p.healthSet} is not one of this runbook's health sets`,
      });
    if (/Monitor$/.test(p.name))
      problems.push({
        path: ['probes', i, 'name'],
        message: `${p.name} is a monitor name; Invoke-MonitoringProbe needs <HealthSet>\\<Probe>`,
      });
  });

  const monitorNames = new Set<string>();
  rb.monitors.forEach((m, mi) => {
    const at = (...rest: (string | number)[]) => ['monitors', mi, ...rest];
    const key = `${m.healthSet}\\${m.name}`;
    if (monitorNames.has(key)) problems.push({ path: at('name'), message: `monitor ${key} is defined twice` });
    monitorNames.add(key);
    if (!own.has(m.healthSet))
      problems.push({ path: at('healthSet'), message: `${m.healthSet} is not one of this runbook's health sets` });
    const probe = m.probe ? probes.get(m.probe) : undefined;
    if (m.probe && !probe) problems.push({ path: at('probe'), message: `probe ${m.probe} is not in the probes table` });

    const ids = new Set<string>();
    const undone = new Set<string>();
    m.ladder.forEach((step, si) => {
      const sp = (...rest: (string | number)[]) => at('ladder', si, ...rest);
      if (step.kind === 'action' && step.undoes !== undefined) {
        // A compensation names an earlier action: what it puts back must already have run.
        const earlier = m.ladder.slice(0, si).find((s) => s.id === step.undoes);
        if (!earlier)
          problems.push({
            path: sp('undoes'),
            message: `undoes ${step.undoes}: no earlier step with that id in this ladder`,
          });
        else if (earlier.kind !== 'action')
          problems.push({
            path: sp('undoes'),
            message: `undoes ${step.undoes}: only an action step changes something to put back`,
          });
        if (undone.has(step.undoes))
          problems.push({ path: sp('undoes'), message: `${step.undoes} already has a compensating step` });
        undone.add(step.undoes);
      }
      if (step.kind === 'action' && step.offerAfter !== undefined) {
        // Offered once an earlier action ran; a put-back is owed, never optional, so not both.
        const earlier = m.ladder.slice(0, si).find((s) => s.id === step.offerAfter);
        if (!earlier || earlier.kind !== 'action')
          problems.push({
            path: sp('offerAfter'),
            message: `offerAfter ${step.offerAfter}: no earlier action step with that id in this ladder`,
          });
        if (step.undoes !== undefined)
          problems.push({
            path: sp('offerAfter'),
            message: 'a step is either owed (undoes) or optional (offerAfter), not both',
          });
      }
      if (ids.has(step.id))
        problems.push({ path: sp('id'), message: `step id ${step.id} is used twice in this ladder` });
      ids.add(step.id);
      if (step.when?.role && step.when.role === step.when.notRole)
        problems.push({ path: sp('when'), message: 'role and notRole contradict each other' });
      if (step.kind === 'wait' && step.then === 'probe' && !m.probe)
        problems.push({ path: sp('then'), message: 'this monitor has no probe to rerun; use then: server-health' });
      if (step.kind !== 'check' && step.kind !== 'action') return;
      const op = step.operation as OperationKind;
      const changes = OPERATION_TRAITS[op].changesState;
      if (step.kind === 'check' && changes)
        problems.push({
          path: sp('operation'),
          message: `${op} changes state: it must be an action step, which needs approval`,
        });
      if (step.kind === 'action' && !changes)
        problems.push({ path: sp('operation'), message: `${op} is read-only: make it a check step` });
      if (op === 'invoke-probe' && !m.probe)
        problems.push({ path: sp('operation'), message: 'this monitor has no probe to invoke' });
      if (step.target === 'backend' && !probe?.backend)
        problems.push({
          path: sp('target'),
          message: 'target backend needs a probe with a backend marker (the server the probe names)',
        });
      const given = Object.keys(step.params ?? {}) as ParamName[];
      const spec = PARAMS[op];
      for (const need of spec.required)
        if (!given.includes(need)) problems.push({ path: sp('params'), message: `${op} needs params.${need}` });
      for (const g of given)
        if (!spec.required.includes(g) && !(spec.optional ?? []).includes(g))
          problems.push({ path: sp('params', g), message: `${op} takes no ${g}` });
    });
    if (!m.ladder.some((s) => s.kind === 'escalate'))
      problems.push({
        path: at('ladder'),
        message: 'a ladder must end in an escalate step, so nobody is left without a way on',
      });
  });
  return problems;
}

/** Every i18n key a runbook uses, with where it is used. */
export function keysOf(rb: RunbookFile): { key: string; path: Path }[] {
  const keys: { key: string; path: Path }[] = [{ key: rb.title, path: ['title'] }];
  rb.commonIssues.forEach((k, i) => keys.push({ key: k, path: ['commonIssues', i] }));
  rb.probes.forEach((p, pi) =>
    p.dependencies.forEach((k, i) => keys.push({ key: k, path: ['probes', pi, 'dependencies', i] })),
  );
  rb.monitors.forEach((m, mi) => {
    keys.push({ key: m.summary, path: ['monitors', mi, 'summary'] });
    m.ladder.forEach((s, si) => {
      const at = ['monitors', mi, 'ladder', si];
      if (s.note) keys.push({ key: s.note, path: [...at, 'note'] });
      if (s.kind === 'action') keys.push({ key: s.impactNote, path: [...at, 'impactNote'] });
      if (s.kind === 'manual') keys.push({ key: s.text, path: [...at, 'text'] });
    });
  });
  return keys;
}
