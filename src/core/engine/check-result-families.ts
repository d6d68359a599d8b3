/**
 * The runbook families' read results in words: queues, service health, replication checks, the
 * DAG and the IIS sites. An empty answer says that nothing was returned, never that all is well.
 */
import type { Section } from '../model/card.ts';
import type { Operation, OperationResults } from '../model/operations.ts';
import type { Translate } from '../ports/i18n.ts';

type ReadResult = OperationResults[keyof OperationResults];

export function familySections(t: Translate, op: Operation, result: ReadResult): Section[] {
  switch (op.kind) {
    case 'get-queue': {
      const r = result as OperationResults['get-queue'];
      if (r.queues.length === 0) return [{ kind: 'text', text: t('check.noQueues', { server: r.server }) }];
      const total = r.queues.reduce((n, q) => n + q.messageCount, 0);
      const busy = r.queues.filter((q) => q.messageCount > 0 || q.status !== 'Ready' || q.lastError);
      return [
        { kind: 'text', text: t('check.queues', { server: r.server, count: r.queues.length, messages: total }) },
        ...(busy.length > 0
          ? [
              {
                kind: 'list' as const,
                items: busy.map((q) =>
                  t('check.queue', {
                    queue: q.identity,
                    status: q.status,
                    messages: q.messageCount,
                    error: q.lastError ?? '-',
                  }),
                ),
              },
            ]
          : []),
      ];
    }
    case 'test-service-health': {
      const r = result as OperationResults['test-service-health'];
      if (r.roles.length === 0) return [{ kind: 'text', text: t('check.noServiceHealth', { server: r.server }) }];
      const stopped = [...new Set(r.roles.flatMap((x) => x.servicesNotRunning))];
      const allRunning = stopped.length === 0 && r.roles.every((x) => x.requiredServicesRunning);
      return [
        {
          kind: 'text',
          text: allRunning
            ? t('check.servicesRunning', { server: r.server })
            : t('check.servicesNotRunning', { server: r.server, services: stopped.join(', ') || '-' }),
        },
      ];
    }
    case 'test-replication-health': {
      const r = result as OperationResults['test-replication-health'];
      if (r.checks.length === 0) return [{ kind: 'text', text: t('check.noReplicationChecks', { server: r.server }) }];
      const failed = r.checks.filter((c) => c.result !== 'Passed');
      if (failed.length === 0)
        return [{ kind: 'text', text: t('check.replicationPassed', { server: r.server, count: r.checks.length }) }];
      return [
        {
          kind: 'text',
          text: t('check.replicationFailed', { server: r.server, failed: failed.length, count: r.checks.length }),
        },
        {
          kind: 'list',
          items: failed.map((c) =>
            t('check.replicationCheck', { check: c.check, result: c.result, error: c.error ?? '-' }),
          ),
        },
      ];
    }
    case 'get-dag-status': {
      const r = result as OperationResults['get-dag-status'];
      if (!r.dag) return [{ kind: 'text', text: t('check.noDag', { server: r.server }) }];
      const down = r.members.filter((m) => !r.operationalServers.some((o) => o.toLowerCase() === m.toLowerCase()));
      return [
        {
          kind: 'text',
          text:
            down.length === 0
              ? t('check.dagUp', { dag: r.dag, members: r.members.join(', '), pam: r.primaryActiveManager ?? '-' })
              : t('check.dagMembersDown', { dag: r.dag, down: down.join(', '), members: r.members.length }),
        },
      ];
    }
    case 'get-website': {
      const r = result as OperationResults['get-website'];
      if (r.sites.length === 0) return [{ kind: 'text', text: t('check.noSites', { server: r.server }) }];
      return [
        {
          kind: 'list',
          items: r.sites.map((s) =>
            t('check.site', {
              site: s.name,
              state: s.state,
              ports: s.bindings.map((b) => `${b.protocol} ${b.port}`).join(', ') || '-',
            }),
          ),
        },
      ];
    }
    default:
      return [];
  }
}
