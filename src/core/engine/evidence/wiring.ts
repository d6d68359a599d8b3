/** The evidence reads inside a diagnosis: started with it, and written to the audit trail after it. */
import type { Actor } from '../../model/event.ts';
import type { Evidence } from '../../model/evidence.ts';
import type { SideRead } from '../../model/side-read.ts';
import type { ServerInfo } from '../../model/exchange.ts';
import type { Incident } from '../../model/incident.ts';
import type { Operation } from '../../model/operations.ts';
import type { EngineContext } from '../context.ts';
import type { Diagnosis } from '../diagnose.ts';
import type { Finding } from '../../model/incident.ts';
import type { EvidenceCollector } from './collect.ts';
import { collectEvidence } from './collect.ts';
import { monitorReadSay, readSay } from '../check-say.ts';
import type { Said } from '../views/values.ts';

export function startEvidence(ctx: EngineContext, server: ServerInfo): EvidenceCollector {
  return collectEvidence({ gateway: ctx.gateway, catalogue: ctx.catalogue, clock: ctx.clock }, server);
}

function summary<T>(read: SideRead<T>, describe: (value: T) => string): string {
  if (read.status === 'read') return describe(read.value);
  return read.status === 'timed-out' ? 'not read (timed out)' : `not read (${read.code})`;
}

/**
 * One audit record per evidence read, as a check the diagnosis made: the timeline of an
 * escalation then says what was looked at, and what could not be read.
 */
export async function auditEvidence(ctx: EngineContext, incident: Incident, actor: Actor, e: Evidence): Promise<void> {
  const server = incident.server;
  // `summary` is for logs (English); `say` is what the timeline shows, in the reader's language.
  const records: { operation: Operation; summary: string; say: Said }[] = [
    {
      operation: { kind: 'get-recovery-actions', server, sinceMinutes: e.windows.recoveryMinutes },
      summary: summary(e.recovery, (v) =>
        v.length === 0
          ? 'none'
          : v
              .map((a) =>
                `${a.action} ${a.resource ?? ''} ${a.result ?? a.state ?? ''}${a.throttled ? ' (throttled)' : ''}`
                  .replace(/\s+/g, ' ')
                  .trim(),
              )
              .join('; '),
      ),
      say: readSay(e.recovery, (v) => {
        if (v.length === 0) return { key: 'checks:recovery.none' };
        // Action, resource and result are Exchange's own names, shown as Exchange writes them.
        const actions = v
          .map((a) => `${a.action} ${a.resource ?? ''} ${a.result ?? a.state ?? ''}`.replace(/\s+/g, ' ').trim())
          .join('; ');
        const throttled = v.filter((a) => a.throttled).length;
        return throttled > 0
          ? { key: 'checks:recovery.throttled', vars: { count: v.length, throttled, actions } }
          : { key: 'checks:recovery.some', vars: { count: v.length, actions } };
      }),
    },
    {
      operation: { kind: 'get-windows-events', server, sinceMinutes: e.windows.eventsMinutes },
      summary: summary(e.windowsEvents, (v) =>
        v.length === 0 ? 'none' : v.map((w) => `${w.id} ${w.subject ?? ''}`.trim()).join('; '),
      ),
      say: readSay(e.windowsEvents, (v) =>
        v.length === 0
          ? { key: 'checks:events.none' }
          : {
              key: 'checks:events.some',
              vars: { count: v.length, events: v.map((w) => `${w.id} ${w.subject ?? ''}`.trim()).join('; ') },
            },
      ),
    },
    ...(e.probeHistory ?? []).map((h) => ({
      operation: {
        kind: 'get-probe-history',
        server,
        resultNames: h.resultNames,
        sinceMinutes: e.windows.probeMinutes,
      } as Operation,
      summary: `${h.monitor}: ${summary(h.read, (v) => (v.length === 0 ? 'no results' : `${v.filter((x) => x.resultType !== 'Succeeded').length} of ${v.length} failed`))}`,
      say: monitorReadSay(h.monitor, h.read, (v) =>
        v.length === 0
          ? { key: 'checks:history.none' }
          : {
              key: 'checks:history.failed',
              vars: { failed: v.filter((x) => x.resultType !== 'Succeeded').length, count: v.length },
            },
      ),
    })),
    ...(e.unlisted?.healthSets ?? []).map((healthSet) => ({
      operation: { kind: 'get-monitoring-item-identity', server, healthSet } as Operation,
      summary: summary(e.unlisted!.items, (n) => `${n} item(s)`),
      say: readSay(e.unlisted!.items, (n): Said => ({ key: 'checks:items', vars: { count: n } })),
    })),
    ...(e.unlisted?.monitors ?? []).flatMap((m) =>
      m.probe && m.rerun
        ? [
            {
              operation: { kind: 'invoke-probe', server, healthSet: m.healthSet, probe: m.probe } as Operation,
              summary: `${m.monitor}: ${summary(m.rerun, (r) => r.resultType)}`,
              say: monitorReadSay(m.monitor, m.rerun, (r) => ({ key: `engine:result.${r.resultType}` })),
            },
          ]
        : [],
    ),
  ];
  for (const r of records)
    await ctx.audit({
      type: 'check',
      incidentId: incident.id,
      actor,
      data: { operation: r.operation, summary: r.summary.slice(0, 500), say: r.say, evidence: true },
    });
}

/**
 * A monitor no runbook knows has no probe in the catalogue, so the diagnosis could not rerun one;
 * the generic flow found its probe with Get-MonitoringItemIdentity and reran it. That result is
 * the finding's probe result, and judges it like any other: still failing is confirmed, passing
 * is transient. A probe that could not be rerun leaves the finding unverified.
 */
export function withUnlistedReruns(d: Diagnosis, e: Evidence): Diagnosis {
  const checks = e.unlisted?.monitors ?? [];
  if (checks.length === 0) return d;
  const findings = d.findings.map((f): Finding => {
    if (f.probe) return f;
    const check = checks.find((c) => c.healthSet === f.healthSet && c.monitor === f.monitor);
    if (!check?.probe || check.rerun?.status !== 'read') return f;
    const result = check.rerun.value;
    return {
      ...f,
      probe: { healthSet: f.healthSet, name: check.probe },
      probeResult: result,
      verdict: result.resultType === 'Succeeded' ? 'transient' : 'confirmed',
    };
  });
  return { ...d, findings };
}
