/**
 * A read-only side read for a diagnosis card (recovery history, server state, overrides, ...):
 * it has its own time limit and never fails the diagnosis. A read that timed out or failed is
 * reported as such on the card ("not read (timed out)"), never as an empty, healthy answer.
 */
import { GatewayError, HealthbotError } from '../errors.ts';
import type { OperationKind, OperationOf, ResultOf } from '../model/operations.ts';
import type { ExchangeGateway } from '../ports/gateway.ts';
import type { SideRead } from '../model/side-read.ts';

export type ReadOutcome<T> =
  | { readonly status: 'read'; readonly value: T }
  | { readonly status: 'timed-out' }
  | { readonly status: 'failed'; readonly code: string; readonly reason: string };

export async function boundedRead<K extends OperationKind>(
  gateway: ExchangeGateway,
  op: OperationOf<K>,
  timeoutMs: number,
): Promise<ReadOutcome<ResultOf<K>>> {
  try {
    return { status: 'read', value: await gateway.run(op, { timeoutMs }) };
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'timeout') return { status: 'timed-out' };
    if (err instanceof HealthbotError) return { status: 'failed', code: err.code, reason: err.message };
    return { status: 'failed', code: 'unexpected', reason: err instanceof Error ? err.message : String(err) };
  }
}

/** A read's outcome as the incident keeps it: the value mapped, or why it was not read. */
export function sideRead<T, U>(outcome: ReadOutcome<T>, map: (value: T) => U): SideRead<U> {
  if (outcome.status === 'read') return { status: 'read', value: map(outcome.value) };
  return outcome.status === 'timed-out' ? { status: 'timed-out' } : { status: 'failed', code: outcome.code };
}
