/**
 * How far the failure reaches. The failing monitor is looked up on every other server of the
 * role; when it fails there too, the cause is not on this server (directory, authentication,
 * certificates, the load balancer), and restarting this server's services fixes nothing while
 * it interrupts users. Those restarts are then withheld: offered only as "restart anyway", which
 * needs two approvers.
 */
import type { MonitorHealth, ServerInfo } from '../model/exchange.ts';
import type { Finding, Incident } from '../model/incident.ts';
import type { Operation, OperationKind } from '../model/operations.ts';
import type { BlastRadius } from '../model/server-context.ts';
import type { SideRead } from '../model/side-read.ts';
import type { ReadOutcome } from './bounded-read.ts';

/** Restarts of one server's parts: they cannot mend a failure every server shares. */
const SERVER_RESTARTS: readonly OperationKind[] = [
  'restart-service',
  'recycle-app-pool',
  'iis-reset',
  'restart-server',
];

/** Approvers a restart needs when the failure is organisation-wide ("restart anyway"). */
export const RESTART_ANYWAY_APPROVERS = 2;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function blastRadius(
  primary: Finding,
  reads: readonly { peer: ServerInfo; read: ReadOutcome<readonly MonitorHealth[]> }[],
  failing: ReadonlySet<string>,
): SideRead<BlastRadius> | undefined {
  const peers: BlastRadius['peers'][number][] = [];
  for (const { peer, read } of reads) {
    if (read.status !== 'read') {
      peers.push({ server: peer.name, status: read.status });
      continue;
    }
    const rows = read.value.filter((r) => same(r.healthSet, primary.healthSet) && same(r.monitor, primary.monitor));
    // A server of another role does not run this monitor: it says nothing about the reach.
    if (rows.length === 0) continue;
    peers.push({ server: peer.name, status: rows.some((r) => failing.has(r.alertValue)) ? 'failing' : 'healthy' });
  }
  if (peers.length === 0) return undefined;
  // Every other server read and failing the same monitor; one not read leaves it open.
  const organisationWide = primary.verdict !== 'transient' && peers.every((p) => p.status === 'failing');
  return { status: 'read', value: { monitor: `${primary.healthSet}\\${primary.monitor}`, peers, organisationWide } };
}

export function isOrganisationWide(incident: Pick<Incident, 'serverContext'>): boolean {
  const b = incident.serverContext?.blastRadius;
  return b?.status === 'read' && b.value.organisationWide;
}

/** A restart of a server's parts, withheld while the failure is organisation-wide. */
export function withheldRestart(incident: Pick<Incident, 'serverContext'>, op: Operation | undefined): boolean {
  return !!op && isOrganisationWide(incident) && SERVER_RESTARTS.includes(op.kind);
}
