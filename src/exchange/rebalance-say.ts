/**
 * Moving databases back to their preferred server, as both gateways report it to a person: which
 * came home, which did not (with Exchange's own reason quoted), as codes rendered in the incident's
 * language. The English detail stays for the logs.
 */
import type { OutcomeSay } from '../core/index.ts';
import { outcomeSay } from './outcome-say.ts';

export interface RebalanceCounts {
  readonly server: string;
  /** `DB01 ← MBX1`: a database and the server it was active on before. */
  readonly moved: readonly string[];
  /** `DB02 (Failed)`: a database and the status Exchange gave it. */
  readonly failed: readonly string[];
  /** Exchange's own words on why a move failed. */
  readonly reasons?: readonly string[];
}

export function rebalanceSay({ server, moved, failed, reasons = [] }: RebalanceCounts): OutcomeSay {
  if (moved.length === 0 && failed.length === 0) return outcomeSay('rebalanceNothing', { server });
  const notMoved = outcomeSay(
    'rebalanceNotMoved',
    { server, databases: failed.join(', ') },
    reasons.length > 0 ? reasons.join('; ').slice(0, 300) : undefined,
  );
  if (moved.length === 0) return notMoved;
  const done = outcomeSay('rebalanceMoved', { server, databases: moved.join(', ') });
  return failed.length > 0 ? { ...done, then: [notMoved] } : done;
}
