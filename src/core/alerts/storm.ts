/**
 * A storm: many problems at once (a network blip, a patch night). One card groups them by health
 * set and by server, and the most likely common cause is diagnosed first:
 * - one server carrying most of the problems points at the server itself (it is down, rebooting,
 *   out of resources): the whole server is diagnosed;
 * - one health set failing on several servers points at what they share (a dependency, a
 *   directory server, a certificate): that set is diagnosed on the first server showing it;
 * - otherwise the server with the most problems goes first.
 */
import type { StormRecord } from './record.ts';

type Member = StormRecord['members'][number];

export function groupBy(members: readonly Member[], by: 'server' | 'healthSet'): [string, Member[]][] {
  const groups = new Map<string, Member[]>();
  for (const m of members) groups.set(m[by], [...(groups.get(m[by]) ?? []), m]);
  return [...groups].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}

export function commonCause(members: readonly Member[]): StormRecord['cause'] {
  const known = members.filter((m) => m.known);
  if (known.length === 0) return undefined;
  const servers = groupBy(known, 'server');
  const sets = groupBy(known, 'healthSet');
  const [topServer, onServer] = servers[0]!;
  const [topSet, withSet] = sets[0]!;
  if (servers.length === 1 || onServer.length * 2 > known.length) return { server: topServer, why: 'server' };
  if (withSet.length >= 2 && withSet.length >= onServer.length)
    return { server: withSet.map((m) => m.server).sort()[0]!, healthSet: topSet, why: 'health-set' };
  return { server: topServer, why: 'largest' };
}
