/**
 * The lab's model of the bot's own Exchange endpoints: the servers a PowerShell gateway would
 * connect to. Leaving one (before an IISReset or restart of it) moves the lab's sessions to the
 * next for a while, as the PowerShell gateway does; with one endpoint there is nowhere to go.
 */
import type { Clock } from '../../core/index.ts';

/** How long a left endpoint is not used again: long enough for a restart to be waited out. */
export const LEFT_ENDPOINT_MS = 30 * 60_000;

export function labEndpoints(
  servers: readonly string[],
  clock: Clock,
): { endpointServers(): readonly string[]; leaveEndpoint(server: string): Promise<string | undefined> } {
  const leftUntil = new Map<string, number>();
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const inUse = () => {
    const now = clock.now().getTime();
    const usable = servers.filter((s) => (leftUntil.get(s.toLowerCase()) ?? 0) <= now);
    return usable.length > 0 ? usable : [...servers];
  };
  return {
    endpointServers: inUse,
    async leaveEndpoint(server) {
      const other = inUse().find((s) => !same(s, server));
      if (!other) return undefined;
      leftUntil.set(server.toLowerCase(), clock.now().getTime() + LEFT_ENDPOINT_MS);
      return other;
    },
  };
}
