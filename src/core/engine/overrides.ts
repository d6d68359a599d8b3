/**
 * Managed Availability overrides, judged: one made for another build with ApplyVersion stopped
 * applying when the server took a cumulative update (it looks in place and does nothing), and one
 * that sets Enabled to 0 hides its item. Also the time-boxed override the bot offers for noise:
 * no longer than the policy's maximum, and it ends by itself.
 */
import type { FlaggedOverride, MonitoringOverride } from '../model/server-context.ts';

/** `15.2.1544.4` from the inventory's `Version 15.2 (Build 1544.4)`. */
export function buildOfVersion(version: string | undefined): string | undefined {
  const m = /(\d+)\.(\d+)\s*(?:\(Build\s+|\.)(\d+)\.(\d+)/i.exec(version ?? '');
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4]}` : undefined;
}

const switchesOff = (o: MonitoringOverride) =>
  o.property.toLowerCase() === 'enabled' && ['0', 'false'].includes(o.value.trim().toLowerCase());

export function flagOverrides(
  overrides: readonly MonitoringOverride[],
  build: string | undefined,
  now: Date,
): FlaggedOverride[] {
  return overrides
    .filter((o) => !o.expiresAt || Date.parse(o.expiresAt) > now.getTime())
    .map((o) => ({
      ...o,
      ...(o.applyVersion && build && o.applyVersion !== build ? { stale: true } : {}),
      ...(switchesOff(o) ? { disables: true } : {}),
    }));
}

/** The policy's default longest override, in hours, when the policy file does not say. */
export const DEFAULT_OVERRIDE_MAX_HOURS = 24;
