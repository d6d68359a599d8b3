/**
 * Names Managed Availability logs probe results under. A probe result's ResultName is the probe's
 * name with its target resource appended (`ImapCTPProbe/IMAP`); builds differ in whether a
 * probe without a target writes the bare name, so both are asked for. The event log's XPath has
 * no prefix match, so the names must be exact.
 */
import type { MonitoringItemRow } from '../../model/evidence.ts';

export function resultNamesOf(probe: string, targetResource: string | undefined): string[] {
  return targetResource ? [probe, `${probe}/${targetResource}`] : [probe];
}

/**
 * The probe behind a monitor, among a health set's monitoring items: a probe's name begins with
 * its monitor's SampleMask, which is the monitor's name without "Monitor" in Exchange's naming
 * (FreeBusyCTPMonitor, FreeBusyCTPProbe). A monitor no probe matches is fed by counters or
 * notifications: its history comes from its definition instead.
 */
export function probeForMonitor(monitor: string, items: readonly MonitoringItemRow[]): MonitoringItemRow | undefined {
  const stem = monitor.replace(/Monitor$/i, '').toLowerCase();
  if (!stem) return undefined;
  const probes = items.filter((i) => i.itemType.toLowerCase() === 'probe');
  return (
    probes.find((p) => p.name.toLowerCase() === `${stem}probe`) ??
    probes.find((p) => p.name.toLowerCase().startsWith(stem))
  );
}
