/**
 * Faults scheduled over time, so the lab can raise an alert by itself: a fault with
 * `startsAfterSeconds` breaks that long after the scenario started, and one with
 * `endsAfterSeconds` mends by itself then (a transient outage that clears while nobody acts).
 * Reads see only the faults that are on at the clock's time.
 */
import type { Fault } from './scenarios.ts';
import type { ActiveFault, LabState } from './state.ts';

export function scheduled(fault: Fault, start: Date): ActiveFault | undefined {
  if (fault.startsAfterSeconds === undefined && fault.endsAfterSeconds === undefined) return undefined;
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000).toISOString();
  const startsAt = at(fault.startsAfterSeconds ?? 0);
  return {
    ...fault,
    since: startsAt,
    startsAt,
    ...(fault.endsAfterSeconds !== undefined ? { endsAt: at(fault.endsAfterSeconds) } : {}),
  };
}

export function isOn(fault: ActiveFault, now: Date): boolean {
  const t = now.getTime();
  return (
    (!fault.startsAt || new Date(fault.startsAt).getTime() <= t) &&
    (!fault.endsAt || t < new Date(fault.endsAt).getTime())
  );
}

/** The state as reads see it at `now`: scheduled faults only while they are on. */
export function faultsAt(state: LabState, now: Date): LabState {
  return state.faults.every((f) => isOn(f, now))
    ? state
    : { ...state, faults: state.faults.filter((f) => isOn(f, now)) };
}
