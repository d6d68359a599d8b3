/**
 * The lab's side of "before any button": a DAG member's failover-cluster node (paused by
 * maintenance), Managed Availability overrides (server and global, by Duration or ApplyVersion,
 * ending by themselves on the lab's clock), server versions that differ from contoso.com's
 * default, and boot times (a server patched and restarted while in maintenance).
 */
import * as z from 'zod'; // as a namespace, so the bundle keeps only what is used (not zod's 50 locales)
import type {
  ActionOutcome,
  ClusterNodeState,
  MonitorHealth,
  MonitoringOverride,
  MonitoringOverrides,
  Operation,
  ServerInfo,
} from '../../core/index.ts';
import { OVERRIDE_ITEM_TYPES } from '../../core/index.ts';
import { outcomeSay as say } from '../outcome-say.ts';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Scenario keys of this area (spread into the scenario schema). */
export const serverContextScenario = {
  /** DAG members whose cluster node maintenance left paused. */
  clusterPaused: z.array(z.string()).default([]),
  /** Overrides in place when the scenario starts; without `server` an override is global. */
  overrides: z
    .array(
      z.strictObject({
        server: z.string().optional(),
        healthSet: z.string(),
        item: z.string(),
        targetResource: z.string().optional(),
        itemType: z.enum(OVERRIDE_ITEM_TYPES).default('Monitor'),
        property: z.string().default('Enabled'),
        value: z.string().default('0'),
        /** Made for this build only (ApplyVersion); a server on another build ignores it. */
        applyVersion: z.string().optional(),
        /** A Duration override: minutes it still has to run. */
        minutesLeft: z.number().int().min(1).optional(),
        createdBy: z.string().default('CONTOSO\\admin'),
      }),
    )
    .default([]),
  /** Versions other than contoso.com's default (Get-ExchangeServer's AdminDisplayVersion). */
  versions: z.array(z.strictObject({ server: z.string(), version: z.string() })).default([]),
  /** Servers restarted more recently than the default month ago (patching). */
  bootTimes: z.array(z.strictObject({ server: z.string(), minutesAgo: z.number().int().min(0) })).default([]),
};

type ScenarioPart = { [K in keyof typeof serverContextScenario]: z.infer<(typeof serverContextScenario)[K]> };

export interface LabOverride extends Omit<MonitoringOverride, 'scope'> {
  /** Absent for a global override. */
  readonly server?: string;
}

/** The part of the lab state this area keeps. */
export interface ServerContextState {
  clusterPaused?: string[];
  overrides?: LabOverride[];
  versions?: Record<string, string>;
}

export function initialServerContext(
  s: ScenarioPart,
  now: Date,
): Required<ServerContextState> & { bootTimes: Record<string, string> } {
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
  return {
    clusterPaused: s.clusterPaused,
    overrides: s.overrides.map((o) => ({
      ...(o.server ? { server: o.server } : {}),
      itemType: o.itemType,
      healthSet: o.healthSet,
      item: o.item,
      ...(o.targetResource ? { targetResource: o.targetResource } : {}),
      property: o.property,
      value: o.value,
      ...(o.applyVersion ? { applyVersion: o.applyVersion } : {}),
      ...(o.minutesLeft ? { expiresAt: at(o.minutesLeft) } : {}),
      createdBy: o.createdBy,
      createdAt: at(-24 * 60),
    })),
    versions: Object.fromEntries(s.versions.map((v) => [v.server, v.version])),
    bootTimes: Object.fromEntries(s.bootTimes.map((b) => [b.server, at(-b.minutesAgo)])),
  };
}

/** Contoso's servers with the versions this scenario gives them. */
export function withVersions(servers: readonly ServerInfo[], state: ServerContextState): ServerInfo[] {
  return servers.map((s) => {
    const version = state.versions?.[s.name];
    return version ? { ...s, version } : s;
  });
}

export function clusterNode(state: ServerContextState, server: ServerInfo): ClusterNodeState {
  if (!server.dag) return { server: server.name, state: 'None' };
  return { server: server.name, state: state.clusterPaused?.some((s) => same(s, server.name)) ? 'Paused' : 'Up' };
}

export function setClusterNode(
  state: ServerContextState,
  server: ServerInfo,
  op: Extract<Operation, { kind: 'set-cluster-node' }>,
): ActionOutcome {
  if (!server.dag)
    return {
      ok: false,
      detail: `${server.name} is not a member of a cluster (no DAG)`,
      say: say('clusterNodeNoDag', { server: server.name }),
    };
  const others = (state.clusterPaused ?? []).filter((s) => !same(s, server.name));
  state.clusterPaused = op.action === 'suspend' ? [...others, server.name] : others;
  return {
    ok: true,
    detail: `cluster node ${server.name} ${op.action === 'resume' ? 'resumed' : 'paused'} (${op.action === 'resume' ? 'Up' : 'Paused'})`,
    say: say(op.action === 'resume' ? 'clusterNodeResumed' : 'clusterNodePaused', {
      server: server.name,
      state: op.action === 'resume' ? 'Up' : 'Paused',
    }),
  };
}

const live = (o: LabOverride, now: Date) => !o.expiresAt || Date.parse(o.expiresAt) > now.getTime();

export function monitoringOverrides(
  state: ServerContextState,
  server: ServerInfo,
  healthSets: readonly string[],
  now: Date,
): MonitoringOverrides {
  const overrides = (state.overrides ?? [])
    .filter(
      (o) =>
        live(o, now) &&
        (!o.server || same(o.server, server.name)) &&
        (healthSets.length === 0 || healthSets.some((h) => same(h, o.healthSet))),
    )
    .map(({ server: on, ...o }): MonitoringOverride => ({ scope: on ? 'server' : 'global', ...o }));
  return { server: server.name, overrides };
}

export function addOverride(
  state: ServerContextState,
  server: ServerInfo,
  op: Extract<Operation, { kind: 'add-monitoring-override' }>,
  now: Date,
): ActionOutcome {
  const expiresAt = new Date(now.getTime() + op.durationMinutes * 60_000).toISOString();
  state.overrides = [
    ...(state.overrides ?? []),
    {
      server: server.name,
      itemType: op.itemType,
      healthSet: op.healthSet,
      item: op.item,
      ...(op.targetResource ? { targetResource: op.targetResource } : {}),
      property: 'Enabled',
      value: '0',
      expiresAt,
      createdBy: 'healthbot',
      createdAt: now.toISOString(),
    },
  ];
  return {
    ok: true,
    detail: `${op.healthSet}\\${op.item} switched off on ${server.name} for ${op.durationMinutes} min (until ${expiresAt})`,
    say: say('overrideAdded', {
      item: `${op.healthSet}\\${op.item}`,
      server: server.name,
      minutes: op.durationMinutes,
      until: expiresAt,
    }),
  };
}

/** The build an ApplyVersion override is compared with: `15.2.1544.4` from `Version 15.2 (Build 1544.4)`. */
export function buildOf(version: string | undefined): string | undefined {
  const m = /Version\s+(\d+)\.(\d+)\s+\(Build\s+(\d+)\.(\d+)\)/i.exec(version ?? '');
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4]}` : undefined;
}

/** As Managed Availability does: a monitor switched off by a live override that applies to this build reads Disabled. */
export function applyOverrides(
  rows: readonly MonitorHealth[],
  state: ServerContextState,
  server: ServerInfo,
  now: Date,
): MonitorHealth[] {
  const build = buildOf(server.version);
  const off = (state.overrides ?? []).filter(
    (o) =>
      live(o, now) &&
      (!o.server || same(o.server, server.name)) &&
      o.property === 'Enabled' &&
      ['0', 'false'].includes(o.value.toLowerCase()) &&
      (!o.applyVersion || o.applyVersion === build),
  );
  return rows.map((r) =>
    off.some((o) => same(o.healthSet, r.healthSet) && same(o.item, r.monitor)) ? { ...r, alertValue: 'Disabled' } : r,
  );
}
