/**
 * Read-only results in words: what a check found, as sections for the diagnosis card. Values
 * come from Exchange and stay data; renderers escape them.
 */
import type { Section } from '../model/card.ts';
import type { Operation, OperationResults } from '../model/operations.ts';
import type { Translate } from '../ports/i18n.ts';
import { probeExcerpt, seconds } from './views/format.ts';
import { familySections } from './check-result-families.ts';
import { joinList } from './views/values.ts';

type ReadResult = OperationResults[keyof OperationResults];

export function checkSections(t: Translate, op: Operation, result: ReadResult, locale: string): Section[] {
  switch (op.kind) {
    case 'get-service': {
      const r = result as OperationResults['get-service'];
      return [{ kind: 'text', text: t('check.service', { service: r.service, server: r.server, status: r.status }) }];
    }
    case 'get-app-pool': {
      const r = result as OperationResults['get-app-pool'];
      return [{ kind: 'text', text: t('check.appPool', { appPool: r.appPool, server: r.server, status: r.status }) }];
    }
    case 'get-database-copy-status': {
      const r = result as OperationResults['get-database-copy-status'];
      if (r.length === 0) return [{ kind: 'text', text: t('check.noCopies', { server: op.server }) }];
      return [
        {
          kind: 'list',
          items: r.map((c) => t('check.copy', { database: c.database, server: c.server, status: c.status })),
        },
      ];
    }
    case 'get-protocol-logging': {
      const r = result as OperationResults['get-protocol-logging'];
      return [
        {
          kind: 'text',
          text: t(r.enabled ? 'check.loggingOn' : 'check.loggingOff', {
            protocol: r.protocol.toUpperCase(),
            server: r.server,
            path: r.logPath ?? '',
          }),
        },
      ];
    }
    case 'get-server-health': {
      const r = result as OperationResults['get-server-health'];
      // An empty answer is not "all healthy": nothing was read.
      if (r.length === 0) return [{ kind: 'text', text: t('check.noMonitors', { server: op.server }) }];
      const bad = r.filter((m) => m.alertValue !== 'Healthy');
      if (bad.length === 0)
        return [{ kind: 'text', text: t('check.allHealthy', { count: r.length, server: op.server }) }];
      return [
        {
          kind: 'list',
          items: bad.map((m) =>
            t('check.monitor', { healthSet: m.healthSet, monitor: m.monitor, alert: t(`alert.${m.alertValue}`) }),
          ),
        },
      ];
    }
    case 'invoke-probe': {
      const r = result as OperationResults['invoke-probe'];
      const line: Section = {
        kind: 'text',
        text: t('diag.probeResult', {
          probe: `${r.healthSet}\\${r.probe}`,
          server: r.server,
          result: t(`result.${r.resultType}`),
          seconds: seconds(r.durationMs, locale),
        }),
      };
      const excerpt = r.resultType === 'Succeeded' ? undefined : probeExcerpt(r);
      return excerpt ? [line, { kind: 'code', text: excerpt }] : [line];
    }
    case 'get-monitoring-mailboxes': {
      const r = result as OperationResults['get-monitoring-mailboxes'];
      if (r.mailboxes.length === 0)
        return [{ kind: 'text', text: t('check.noMonitoringMailbox', { server: r.server }) }];
      return r.mailboxes.map((m): Section => {
        const mounted = r.copies.find((c) => c.database === m.database && c.status === 'Mounted');
        return {
          kind: 'text',
          text: mounted
            ? t('check.monitoringMailbox', { mailbox: m.name, database: m.database, server: mounted.server })
            : t('check.monitoringMailboxOffline', {
                mailbox: m.name,
                database: m.database,
                copies:
                  joinList(
                    t,
                    r.copies.filter((c) => c.database === m.database).map((c) => `${c.server} ${c.status}`),
                  ) || '-',
              }),
        };
      });
    }
    case 'get-directory-servers': {
      const r = result as OperationResults['get-directory-servers'];
      if (r.domainControllers.length === 0)
        return [{ kind: 'text', text: t('check.noDomainController', { server: r.server }) }];
      return [
        {
          kind: 'text',
          text: t('check.directoryServers', {
            server: r.server,
            dcs: joinList(t, r.domainControllers),
            gcs: joinList(t, r.globalCatalogs) || '-',
          }),
        },
      ];
    }
    default:
      return familySections(t, op, result);
  }
}
