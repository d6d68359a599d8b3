/**
 * The diagnosis itself, as a careful engineer would do it from the troubleshooting guide:
 * read Get-ServerHealth once, rerun the probe of every monitor that is not Healthy (all in
 * parallel, each probe once even when it serves several monitors), judge each monitor, and check
 * the back-end server that a failing end-to-end probe names.
 */
import { GatewayError } from '../errors.ts';
import type { MonitorHealth, ProbeResult, ServerInfo } from '../model/exchange.ts';
import type { Finding, Verdict } from '../model/incident.ts';
import type { ExchangeGateway } from '../ports/gateway.ts';
import type { Catalogue } from './catalogue.ts';
import { prefetchBackends } from './backend-prefetch.ts';
import { findServer } from './servers.ts';

/** Alert values that need a closer look. Disabled monitors were switched off by an administrator. */
// Unknown: an AlertValue this bot cannot read is checked by its probe, never taken for healthy.
const NEEDS_ATTENTION = new Set(['Unhealthy', 'Degraded', 'Unavailable', 'Repairing', 'Unknown']);

export interface DiagnosisProgress {
  readonly probesDone: number;
  readonly probesTotal: number;
}

export interface Diagnosis {
  readonly server: ServerInfo;
  /** The health sets read; empty means all of them. */
  readonly scope: readonly string[];
  readonly health: readonly MonitorHealth[];
  readonly findings: readonly Finding[];
  /** Probe failures that were not results but broken infrastructure (the probe could not run). */
  readonly probeErrors: readonly { readonly probe: string; readonly code: string; readonly message: string }[];
  /** The probe of `options.verify`'s monitor, rerun even though Get-ServerHealth no longer lists it. */
  readonly verification?: Verification;
}

export interface Verification {
  readonly healthSet: string;
  readonly monitor: string;
  /** What the probe said; absent when it could not run (see `probeErrors`) or the monitor has no probe. */
  readonly result?: ProbeResult;
}

export interface DiagnoseOptions {
  /**
   * The monitor a recovery step just acted on. Its probe is rerun whatever Get-ServerHealth says:
   * the monitor's state lags behind the probe by minutes, so only a fresh probe shows the fix.
   */
  readonly verify?: { readonly healthSet: string; readonly monitor: string; readonly targetResource?: string };
  /** Called with Get-ServerHealth's rows as soon as they are read, so side reads start beside the probes. */
  readonly onHealth?: (rows: readonly MonitorHealth[]) => void;
}

/**
 * The probe instance to run: `<HealthSet>\<Probe>`, with the monitor's target resource when it has
 * one. Monitors of different target resources run different probe instances.
 */
function probeKey(
  probe: { readonly healthSet: string; readonly name: string },
  targetResource: string | undefined,
): string {
  return targetResource ? `${probe.healthSet}\\${probe.name}\\${targetResource}` : `${probe.healthSet}\\${probe.name}`;
}

export interface DiagnoseDeps {
  readonly gateway: ExchangeGateway;
  readonly catalogue: Catalogue;
  readonly servers: readonly ServerInfo[];
  /** Milliseconds now, from the engine's clock (back-end reads are shared for seconds by it). */
  readonly now?: () => number;
}

export async function diagnose(
  deps: DiagnoseDeps,
  server: ServerInfo,
  healthSet: string | undefined,
  onProgress: (p: DiagnosisProgress) => void = () => {},
  options: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const scope = healthSet ? deps.catalogue.scopeOf(healthSet) : [];
  const health = await deps.gateway.run({
    kind: 'get-server-health',
    server: server.name,
    ...(scope.length > 0 ? { healthSets: scope } : {}),
  });
  options.onHealth?.(health);
  const suspicious = health.filter((row) => NEEDS_ATTENTION.has(row.alertValue));

  // One probe run per distinct probe, shared by the monitors it serves.
  const probeRuns = new Map<string, Promise<ProbeResult | GatewayError>>();
  const planned = suspicious.map((row) => {
    const known = deps.catalogue.monitor(row.healthSet, row.monitor);
    const probe = known ? deps.catalogue.probe(known.runbook, known.monitor) : undefined;
    return {
      row,
      probe,
      counterFed: known !== undefined && known.monitor.probe === undefined,
      targetResource: row.targetResource,
    };
  });
  const verify = options.verify;
  const verifyKnown = verify ? deps.catalogue.monitor(verify.healthSet, verify.monitor) : undefined;
  const verifyProbe = verifyKnown ? deps.catalogue.probe(verifyKnown.runbook, verifyKnown.monitor) : undefined;
  // The monitor's own row names its target resource; when Get-ServerHealth no longer lists it, the
  // caller's (from the incident's finding) is used.
  const verifyRow = verify ? health.find((r) => r.monitor.toLowerCase() === verify.monitor.toLowerCase()) : undefined;
  const verifyTarget = verifyRow?.targetResource || verify?.targetResource || undefined;
  const probes = [
    ...planned.map(({ probe, targetResource }) => ({ probe, targetResource })),
    { probe: verifyProbe, targetResource: verifyTarget },
  ];
  const distinct = [
    ...new Set(probes.flatMap(({ probe, targetResource }) => (probe ? [probeKey(probe, targetResource)] : []))),
  ];
  let done = 0;
  onProgress({ probesDone: 0, probesTotal: distinct.length });
  for (const { probe, targetResource } of probes) {
    if (!probe) continue;
    const key = probeKey(probe, targetResource);
    if (probeRuns.has(key)) continue;
    probeRuns.set(
      key,
      deps.gateway
        .run({
          kind: 'invoke-probe',
          server: server.name,
          healthSet: probe.healthSet,
          probe: probe.name,
          ...(targetResource ? { targetResource } : {}),
        })
        .catch((err: unknown) => toGatewayError(err))
        .finally(() => onProgress({ probesDone: ++done, probesTotal: distinct.length })),
    );
  }
  // The back ends a failing probe may name are read while the probes run (backend-prefetch.ts).
  const backends = prefetchBackends(
    deps,
    server,
    planned.flatMap(({ probe }) => (probe?.backend ? [probe.backend] : [])),
    toGatewayError,
    { fresh: Boolean(verify) },
  );
  const settled = new Map<string, ProbeResult | GatewayError>();
  await Promise.all([...probeRuns].map(async ([key, run]) => settled.set(key, await run)));

  const probeErrors: Diagnosis['probeErrors'][number][] = [];
  for (const [key, result] of settled) {
    if (result instanceof GatewayError) probeErrors.push({ probe: key, code: result.code, message: result.message });
  }

  const findings: Finding[] = [];
  // A failed back-end read is kept as an error, never turned into an empty (healthy-looking) list.
  for (const { row, probe, counterFed, targetResource } of planned) {
    const key = probe ? probeKey(probe, targetResource) : undefined;
    const outcome = key ? settled.get(key) : undefined;
    const result = outcome && !(outcome instanceof GatewayError) ? outcome : undefined;
    const verdict: Verdict = counterFed
      ? 'reported'
      : !result
        ? 'unverified'
        : result.resultType === 'Succeeded'
          ? 'transient'
          : 'confirmed';
    let backend: Finding['backend'];
    if (verdict === 'confirmed' && probe?.backend && result) {
      const named = backendNamed(result, probe.backend.marker, deps.servers);
      if (named && named.name !== server.name) {
        backend = backendFinding(named.name, await backends.read(named.name, probe.backend.healthSets));
      } else if (named) {
        backend = { server: named.name, unhealthy: [] };
      }
    }
    findings.push({
      healthSet: row.healthSet,
      monitor: row.monitor,
      alertValue: row.alertValue,
      ...(row.firstAlertObservedTime ? { since: row.firstAlertObservedTime } : {}),
      ...(row.targetResource ? { targetResource: row.targetResource } : {}),
      ...(probe ? { probe: { healthSet: probe.healthSet, name: probe.name } } : {}),
      ...(result ? { probeResult: result } : {}),
      verdict,
      ...(backend ? { backend } : {}),
    });
  }
  const verifyOutcome = verifyProbe ? settled.get(probeKey(verifyProbe, verifyTarget)) : undefined;
  const verifyResult = verifyOutcome && !(verifyOutcome instanceof GatewayError) ? verifyOutcome : undefined;
  if (
    verify &&
    verifyProbe &&
    verifyResult &&
    verifyResult.resultType !== 'Succeeded' &&
    !findings.some((f) => f.monitor === verify.monitor)
  ) {
    // Get-ServerHealth already calls the monitor healthy, but its probe still fails: the probe is
    // the fresher witness, so the monitor stays a confirmed finding and the ladder goes on.
    const row = verifyRow;
    findings.push({
      healthSet: row?.healthSet ?? verify.healthSet,
      monitor: row?.monitor ?? verify.monitor,
      alertValue: row?.alertValue ?? 'Healthy',
      ...(verifyTarget ? { targetResource: verifyTarget } : {}),
      probe: { healthSet: verifyProbe.healthSet, name: verifyProbe.name },
      probeResult: verifyResult,
      verdict: 'confirmed',
    });
  }
  const verification: Verification | undefined = verify && {
    healthSet: verify.healthSet,
    monitor: verify.monitor,
    ...(verifyResult ? { result: verifyResult } : {}),
  };
  return { server, scope, health, findings, probeErrors, ...(verification ? { verification } : {}) };
}

/**
 * What the back end's Get-ServerHealth says. An error (WinRM down, access denied, a timeout, a
 * server the inventory refuses) and an empty answer both mean its health is unknown: they are
 * reported as unreadable with the reason, never as "no unhealthy monitors".
 */
function backendFinding(
  server: string,
  read: readonly MonitorHealth[] | GatewayError,
): NonNullable<Finding['backend']> {
  if (read instanceof GatewayError) return { server, unhealthy: [], unreadable: { code: read.code } };
  if (read.length === 0) return { server, unhealthy: [], unreadable: { code: 'no-monitors' } };
  return { server, unhealthy: read.filter((r) => NEEDS_ATTENTION.has(r.alertValue)) };
}

/** The server named after `marker` (e.g. `_Mbx:`) in the probe's error or exception, if known. */
export function backendNamed(
  result: ProbeResult,
  marker: string,
  servers: readonly ServerInfo[],
): ServerInfo | undefined {
  const text = `${result.error ?? ''}\n${result.exception ?? ''}`;
  const at = text.indexOf(marker);
  if (at < 0) return undefined;
  const token = /^\s*([A-Za-z0-9][A-Za-z0-9.-]*)/.exec(text.slice(at + marker.length))?.[1];
  return token ? findServer(servers, token.replace(/\.$/, '')) : undefined;
}

function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError('failed', err instanceof Error ? err.message : String(err), {}, { cause: err });
}

/** The finding whose ladder the engine offers first: confirmed before unverified, asked set first. */
export function primaryFinding(findings: readonly Finding[], askedHealthSet?: string): Finding | undefined {
  const rank = (f: Finding) =>
    (f.verdict === 'confirmed' ? 0 : f.verdict === 'reported' ? 1 : f.verdict === 'unverified' ? 2 : 9) +
    (askedHealthSet && f.healthSet.toLowerCase() === askedHealthSet.toLowerCase() ? 0 : 1);
  const candidates = findings.filter((f) => f.verdict !== 'transient');
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
}
