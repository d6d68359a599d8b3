/**
 * The evidence reads of a diagnosis, run beside the probes: what Managed Availability already did
 * (RecoveryActionResults) and the Windows events start at once; the probe history of the failing
 * monitors starts as soon as Get-ServerHealth names them, in parallel with the probe reruns; for
 * monitors no runbook describes, the generic flow looks up their probes, reruns those it can and
 * reads the history of the others. Every read has its own time limit (boundedRead) and none can
 * fail the diagnosis: one that timed out is kept as "timed out", never as an empty answer.
 */
import type { SideRead } from '../../model/side-read.ts';
import type { Evidence, MonitorHistory, ProbeHistoryEntry, UnlistedMonitorCheck } from '../../model/evidence.ts';
import type { MonitorHealth, ServerInfo } from '../../model/exchange.ts';
import type { ExchangeGateway } from '../../ports/gateway.ts';
import type { Clock } from '../../ports/clock.ts';
import { boundedRead, sideRead } from '../bounded-read.ts';
import type { Catalogue } from '../catalogue.ts';
import { probeForMonitor, resultNamesOf } from './result-names.ts';

export const EVIDENCE_WINDOWS = { recoveryMinutes: 24 * 60, probeMinutes: 2 * 60, eventsMinutes: 24 * 60 } as const;

export interface EvidenceSettings {
  /** Each read's own limit: a slow channel shows as "not read (timed out)" and never holds the card. */
  readonly readTimeoutMs: number;
  /** A generic-flow probe rerun's limit. */
  readonly probeTimeoutMs: number;
}

export const DEFAULT_EVIDENCE_SETTINGS: EvidenceSettings = { readTimeoutMs: 8_000, probeTimeoutMs: 30_000 };

/** Alert values that make a monitor worth a look (Disabled was switched off on purpose). */
const FAILING = new Set(['Unhealthy', 'Degraded', 'Unavailable', 'Repairing', 'Unknown']);

export interface EvidenceDeps {
  readonly gateway: ExchangeGateway;
  readonly catalogue: Catalogue;
  readonly clock: Clock;
  readonly settings?: EvidenceSettings;
}

export interface EvidenceCollector {
  /** Get-ServerHealth's rows, as soon as they are read: starts the probe history and the generic flow. */
  onHealth(rows: readonly MonitorHealth[]): void;
  /** Everything read, once every read has answered or timed out. */
  settle(): Promise<Evidence>;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function collectEvidence(deps: EvidenceDeps, server: ServerInfo): EvidenceCollector {
  const settings = deps.settings ?? DEFAULT_EVIDENCE_SETTINGS;
  const readAt = deps.clock.now().toISOString();
  const read = <K extends Parameters<typeof boundedRead>[1]['kind']>(
    op: Parameters<typeof boundedRead<K>>[1],
    timeoutMs = settings.readTimeoutMs,
  ) => boundedRead(deps.gateway, op, timeoutMs);
  const recovery = read({
    kind: 'get-recovery-actions',
    server: server.name,
    sinceMinutes: EVIDENCE_WINDOWS.recoveryMinutes,
  });
  const windowsEvents = read({
    kind: 'get-windows-events',
    server: server.name,
    sinceMinutes: EVIDENCE_WINDOWS.eventsMinutes,
  });
  let history: Promise<MonitorHistory[]> | undefined;
  let unlisted: Promise<Evidence['unlisted']> | undefined;

  /** One read of ProbeResult for many ResultNames; each monitor keeps the entries of its own names. */
  async function histories(
    wanted: readonly { healthSet: string; monitor: string; resultNames: readonly string[]; counter: boolean }[],
  ): Promise<MonitorHistory[]> {
    const probes = wanted.filter((w) => !w.counter);
    const names = [...new Set(probes.flatMap((w) => w.resultNames))];
    const shared =
      names.length > 0
        ? read({
            kind: 'get-probe-history',
            server: server.name,
            resultNames: names,
            sinceMinutes: EVIDENCE_WINDOWS.probeMinutes,
          })
        : undefined;
    // A counter monitor's ResultName is its SampleMask, which only its definition knows: one read each.
    const counters = wanted
      .filter((w) => w.counter)
      .map((w) => ({
        w,
        run: read({
          kind: 'get-probe-history',
          server: server.name,
          resultNames: [],
          monitors: [w.monitor],
          sinceMinutes: EVIDENCE_WINDOWS.probeMinutes,
        }),
      }));
    const out: MonitorHistory[] = [];
    const sharedOutcome = shared ? await shared : undefined;
    for (const w of probes) {
      if (!sharedOutcome) continue;
      const mine = (entries: readonly ProbeHistoryEntry[]) =>
        entries.filter((e) => w.resultNames.some((n) => same(n, e.resultName)));
      out.push({
        healthSet: w.healthSet,
        monitor: w.monitor,
        resultNames: w.resultNames,
        read: sideRead(sharedOutcome, (h) => mine(h.entries)),
      });
    }
    for (const { w, run } of counters) {
      const outcome = await run;
      const names = outcome.status === 'read' ? outcome.value.resultNames : [];
      out.push({
        healthSet: w.healthSet,
        monitor: w.monitor,
        resultNames: names,
        read: sideRead(outcome, (h) => h.entries),
      });
    }
    return out;
  }

  /** The generic flow for monitors that no runbook knows: items, reruns, and history where a rerun cannot be had. */
  async function genericFlow(
    rows: readonly MonitorHealth[],
  ): Promise<{ unlisted: NonNullable<Evidence['unlisted']>; history: MonitorHistory[] }> {
    const sets = [...new Set(rows.map((r) => r.healthSet))];
    const items = new Map(
      sets.map((set) => [set, read({ kind: 'get-monitoring-item-identity', server: server.name, healthSet: set })]),
    );
    const checks = await Promise.all(
      rows.map(
        async (
          row,
        ): Promise<{ check: UnlistedMonitorCheck; needsHistory?: { resultNames: string[]; counter: boolean } }> => {
          const found = await items.get(row.healthSet)!;
          const probe = found.status === 'read' ? probeForMonitor(row.monitor, found.value) : undefined;
          const base = { healthSet: row.healthSet, monitor: row.monitor };
          if (!probe) return { check: base, needsHistory: { resultNames: [], counter: true } };
          const rerun = await read(
            {
              kind: 'invoke-probe',
              server: server.name,
              healthSet: row.healthSet,
              probe: probe.name,
              ...(row.targetResource ? { targetResource: row.targetResource } : {}),
            },
            settings.probeTimeoutMs,
          );
          const check: UnlistedMonitorCheck = {
            ...base,
            probe: probe.name,
            rerun: sideRead(rerun, (r) => r),
          };
          // A probe that cannot be invoked (a notification or a check) still logged its results.
          return rerun.status === 'read'
            ? { check }
            : { check, needsHistory: { resultNames: resultNamesOf(probe.name, row.targetResource), counter: false } };
        },
      ),
    );
    const history = await histories(
      checks.flatMap(({ check, needsHistory }) =>
        needsHistory ? [{ healthSet: check.healthSet, monitor: check.monitor, ...needsHistory }] : [],
      ),
    );
    const counted = await Promise.all(sets.map((set) => items.get(set)!));
    const failedItems = counted.find((o) => o.status !== 'read');
    const itemCount: SideRead<number> = failedItems
      ? sideRead(failedItems, () => 0)
      : { status: 'read', value: counted.reduce((n, o) => n + (o.status === 'read' ? o.value.length : 0), 0) };
    return { unlisted: { healthSets: sets, items: itemCount, monitors: checks.map((c) => c.check) }, history };
  }

  return {
    onHealth(rows) {
      const failing = rows.filter((r) => FAILING.has(r.alertValue));
      const known = failing.flatMap((row) => {
        const found = deps.catalogue.monitor(row.healthSet, row.monitor);
        if (!found) return [];
        const probe = deps.catalogue.probe(found.runbook, found.monitor);
        const counter = found.monitor.probe === undefined;
        return [
          {
            healthSet: row.healthSet,
            monitor: row.monitor,
            counter,
            resultNames: probe ? resultNamesOf(probe.name, row.targetResource) : [],
          },
        ];
      });
      const unknown = failing.filter((row) => !deps.catalogue.monitor(row.healthSet, row.monitor));
      const generic = unknown.length > 0 ? genericFlow(unknown) : undefined;
      unlisted = generic?.then((g) => g.unlisted);
      history = Promise.all([
        histories(known.filter((k) => k.counter || k.resultNames.length > 0)),
        generic?.then((g) => g.history) ?? [],
      ]).then(([a, b]) => [...a, ...b]);
    },
    async settle() {
      const [r, w, h, u] = await Promise.all([recovery, windowsEvents, history, unlisted]);
      return {
        readAt,
        windows: { ...EVIDENCE_WINDOWS },
        recovery: sideRead(r, (v) => v),
        windowsEvents: sideRead(w, (v) => v),
        ...(h ? { probeHistory: h } : {}),
        ...(u ? { unlisted: u } : {}),
      };
    },
  };
}
