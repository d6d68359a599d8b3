/**
 * The lab's evidence: what Managed Availability already did, the probe results it logged, the
 * Windows events, and health sets that no runbook describes (monitors, probes, monitoring items).
 * All of it is scenario data, with times relative to the start of the scenario.
 */
import * as z from 'zod'; // as a namespace, so the bundle keeps only what is used (not zod's 50 locales)
import type {
  MonitoringItemRow,
  ProbeHistory,
  ProbeHistoryEntry,
  ProbeResultType,
  RecoveryAction,
  ServerInfo,
  WindowsEvent,
} from '../../core/index.ts';
import { GatewayError, WINDOWS_EVENT_KINDS } from '../../core/index.ts';
import type { MonitorSpec } from './behaviour.ts';

const RESULT_LETTERS: Readonly<Record<string, ProbeResultType>> = { S: 'Succeeded', F: 'Failed', T: 'Timeout' };

/** The scenario keys, spread into the scenario schema. */
export const evidenceSchema = {
  /** Entries of RecoveryActionResults: what Managed Availability did before anyone was paged. */
  recoveryActions: z
    .array(
      z.strictObject({
        server: z.string(),
        action: z.string(),
        resource: z.string().optional(),
        requester: z.string().optional(),
        minutesAgo: z.number().int().min(0),
        durationSeconds: z.number().int().min(0).default(10),
        result: z.enum(['Succeeded', 'Failed']),
        exception: z.string().optional(),
        throttled: z.boolean().default(false),
      }),
    )
    .default([]),
  /** ProbeResult entries: one letter per run, oldest first (S succeeded, F failed, T timed out), the last one just now. */
  probeHistory: z
    .array(
      z.strictObject({
        server: z.string(),
        resultName: z.string(),
        /** A counter monitor whose SampleMask is this ResultName (its definition, in the lab). */
        monitor: z.string().optional(),
        everyMinutes: z.number().int().min(1).default(5),
        pattern: z.string().regex(/^[SFT]+$/),
        /** Errors of the failed runs, used in turn. */
        errors: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  windowsEvents: z
    .array(
      z.strictObject({
        server: z.string(),
        kind: z.enum(WINDOWS_EVENT_KINDS),
        id: z.number().int(),
        provider: z.string(),
        minutesAgo: z.number().int().min(0),
        subject: z.string().optional(),
        detail: z.string().optional(),
      }),
    )
    .default([]),
  /** Health sets no runbook describes: their monitors and probes, as Get-ServerHealth and Get-MonitoringItemIdentity report them. */
  unlistedHealthSets: z
    .array(
      z.strictObject({
        name: z.string(),
        roles: z.array(z.enum(['ClientAccess', 'Mailbox'])).min(1),
        monitors: z.array(z.string()).min(1),
        /** `invocable: false`: a notification or check probe, which Invoke-MonitoringProbe cannot run. */
        probes: z.array(z.strictObject({ name: z.string(), invocable: z.boolean().default(true) })).default([]),
      }),
    )
    .default([]),
};

type Raw = { [K in keyof typeof evidenceSchema]: z.infer<(typeof evidenceSchema)[K]> };

/** The evidence as the lab state keeps it: absolute times. */
export interface LabEvidence {
  recoveryActions: RecoveryAction[];
  probeResults: (ProbeHistoryEntry & { server: string; monitor?: string })[];
  windowsEvents: WindowsEvent[];
  unlisted: Raw['unlistedHealthSets'];
}

export function initialEvidence(raw: Raw, now: Date): LabEvidence {
  const ago = (minutes: number, plusSeconds = 0) =>
    new Date(now.getTime() - minutes * 60_000 + plusSeconds * 1000).toISOString();
  return {
    recoveryActions: raw.recoveryActions.map((a) => ({
      server: a.server,
      action: a.action,
      ...(a.resource ? { resource: a.resource } : {}),
      ...(a.requester ? { requester: a.requester } : {}),
      state: 'Finished',
      result: a.result,
      startedAt: ago(a.minutesAgo),
      endedAt: ago(a.minutesAgo, a.durationSeconds),
      ...(a.exception ? { exception: a.exception } : {}),
      throttled: a.throttled,
    })),
    probeResults: raw.probeHistory.flatMap((h) => {
      let failures = 0;
      return [...h.pattern].map((letter, i) => {
        const resultType = RESULT_LETTERS[letter]!;
        const error =
          resultType === 'Succeeded' || h.errors.length === 0 ? undefined : h.errors[failures++ % h.errors.length];
        return {
          server: h.server,
          resultName: h.resultName,
          ...(h.monitor ? { monitor: h.monitor } : {}),
          resultType,
          at: ago((h.pattern.length - 1 - i) * h.everyMinutes),
          ...(error ? { error } : {}),
        };
      });
    }),
    windowsEvents: raw.windowsEvents.map((e) => ({
      server: e.server,
      kind: e.kind,
      id: e.id,
      provider: e.provider,
      at: ago(e.minutesAgo),
      ...(e.subject ? { subject: e.subject } : {}),
      ...(e.detail ? { detail: e.detail } : {}),
    })),
    unlisted: raw.unlistedHealthSets,
  };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const within = (at: string, now: Date, minutes: number) =>
  Date.parse(at) >= now.getTime() - minutes * 60_000 && Date.parse(at) <= now.getTime();

/** The monitors and probes of the scenario's unlisted health sets, beside the runbooks' ones. */
export function unlistedSpecs(evidence: LabEvidence | undefined): { monitors: MonitorSpec[]; probes: MonitorSpec[] } {
  const sets = evidence?.unlisted ?? [];
  return {
    monitors: sets.flatMap((s) => s.monitors.map((m) => ({ healthSet: s.name, monitor: m, roles: s.roles }))),
    probes: sets.flatMap((s) =>
      s.probes.filter((p) => p.invocable).map((p) => ({ healthSet: s.name, monitor: p.name, roles: s.roles })),
    ),
  };
}

/** Invoke-MonitoringProbe on a notification or check probe fails: there is nothing it could run. */
export function assertInvocable(
  evidence: LabEvidence | undefined,
  server: ServerInfo,
  healthSet: string,
  probe: string,
): void {
  const set = evidence?.unlisted.find((s) => same(s.name, healthSet));
  const known = set?.probes.find((p) => same(p.name, probe));
  if (known && !known.invocable)
    throw new GatewayError(
      'failed',
      `${healthSet}\\${probe} is not a probe that Invoke-MonitoringProbe can run on ${server.name}`,
      { server: server.name },
    );
}

export type EvidenceOperation =
  | { readonly kind: 'get-recovery-actions'; readonly sinceMinutes: number }
  | {
      readonly kind: 'get-probe-history';
      readonly resultNames: readonly string[];
      readonly monitors?: readonly string[];
      readonly sinceMinutes: number;
    }
  | { readonly kind: 'get-windows-events'; readonly sinceMinutes: number }
  | { readonly kind: 'get-monitoring-item-identity'; readonly healthSet: string };

/** Answers an evidence read from the state, as the PowerShell scripts would from the server's logs. */
export function readEvidence(
  evidence: LabEvidence | undefined,
  specs: { monitors: readonly MonitorSpec[]; probes: readonly MonitorSpec[] },
  server: ServerInfo,
  op: EvidenceOperation,
  now: Date,
): readonly RecoveryAction[] | ProbeHistory | readonly WindowsEvent[] | readonly MonitoringItemRow[] {
  const on = <T extends { server: string }>(rows: readonly T[]) => rows.filter((r) => same(r.server, server.name));
  switch (op.kind) {
    case 'get-recovery-actions':
      return on(evidence?.recoveryActions ?? []).filter((a) => within(a.startedAt, now, op.sinceMinutes));
    case 'get-windows-events':
      return on(evidence?.windowsEvents ?? []).filter((e) => within(e.at, now, op.sinceMinutes));
    case 'get-probe-history': {
      const results = on(evidence?.probeResults ?? []);
      // A counter monitor's ResultName comes from its definition: the lab's is the entry that names it.
      const masks = (op.monitors ?? []).flatMap((m) =>
        results.filter((r) => r.monitor && same(r.monitor, m)).map((r) => r.resultName),
      );
      const names = [...new Set([...op.resultNames, ...masks])];
      const entries = results
        .filter((r) => names.some((n) => same(n, r.resultName)) && within(r.at, now, op.sinceMinutes))
        .map(({ resultName, resultType, at, error }) => ({ resultName, resultType, at, ...(error ? { error } : {}) }));
      return { server: server.name, resultNames: names, entries };
    }
    case 'get-monitoring-item-identity': {
      const runsHere = (s: MonitorSpec) =>
        same(s.healthSet, op.healthSet) && s.roles.some((r) => server.roles.includes(r as never));
      const target = op.healthSet.split('.')[0]!;
      const unlisted = evidence?.unlisted.find((s) => same(s.name, op.healthSet));
      const probes = unlisted
        ? unlisted.probes.map((p) => p.name)
        : specs.probes.filter(runsHere).map((p) => p.monitor);
      return [
        ...probes.map((name) => ({
          server: server.name,
          healthSet: op.healthSet,
          itemType: 'Probe',
          name,
          targetResource: target,
        })),
        ...specs.monitors.filter(runsHere).map((m) => ({
          server: server.name,
          healthSet: m.healthSet,
          itemType: 'Monitor',
          name: m.monitor,
          targetResource: target,
        })),
      ];
    }
  }
}
