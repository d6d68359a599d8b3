/**
 * What the store keeps per problem: one record per (server, health set), under a key every
 * replica computes the same way, changed only by compare-and-set. While it is open, alerts for the
 * problem attach to it; a clear closes it; the next raise after that opens a new one.
 */
import type { Alert, AlertSource } from './alert.ts';
import type { PostedAlert } from './channel.ts';

export const OPEN_PREFIX = 'alerts:open:';
export const STORM_PREFIX = 'alerts:storm:';
export const CURRENT_STORM_KEY = 'alerts:storm-current';

export function problemKey(server: string, healthSet: string): string {
  return `${OPEN_PREFIX}${server.toUpperCase()}:${healthSet.toLowerCase()}`;
}

export interface CardPlace extends PostedAlert {
  readonly channel: string;
}

export interface AlertRecord {
  readonly server: string;
  readonly healthSet: string;
  readonly monitor?: string;
  readonly open: boolean;
  /** The incident the problem belongs to (its own, an asked-about one it joined, or a storm's). */
  readonly incidentId: string;
  /** Whether the incident was opened for this alert (false: it joined one someone asked about). */
  readonly ownIncident: boolean;
  /** Set when the problem belongs to a storm: the storm's card stands for it. */
  readonly stormId?: string;
  readonly known: { readonly server: boolean; readonly healthSet: boolean };
  readonly source: AlertSource;
  readonly firstAt: string;
  readonly lastAt: string;
  /** How many alerts arrived for this problem while it was open (the first included). */
  readonly count: number;
  /** The first alert's original text (kept whole for the timeline), and the latest one's. */
  readonly text: string;
  readonly lastText?: string;
  readonly clearedAt?: string;
  /** Cleared with nobody having acted (no approval requested on its incident). */
  readonly clearedByItself?: boolean;
  /** Where its card was posted (one per platform); empty until posted. */
  readonly cards: readonly CardPlace[];
}

export interface StormRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly openedAt: string;
  /** Raised alerts join this storm until then. */
  readonly until: string;
  readonly members: readonly {
    readonly server: string;
    readonly healthSet: string;
    readonly known: boolean;
    readonly count: number;
    readonly cleared?: string;
  }[];
  /** What is diagnosed first: a server as a whole, or a health set on one server. */
  readonly cause?: {
    readonly server: string;
    readonly healthSet?: string;
    readonly why: 'server' | 'health-set' | 'largest';
  };
  readonly cards: readonly CardPlace[];
}

export function recordOf(
  alert: Alert,
  incidentId: string,
  known: AlertRecord['known'],
  ownIncident: boolean,
): AlertRecord {
  return {
    server: alert.server,
    healthSet: alert.healthSet,
    ...(alert.monitor ? { monitor: alert.monitor } : {}),
    open: true,
    incidentId,
    ownIncident,
    known,
    source: alert.source,
    firstAt: alert.at,
    lastAt: alert.at,
    count: 1,
    text: alert.text,
    cards: [],
  };
}
