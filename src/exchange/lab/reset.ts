/**
 * Starting the lab over: the organisation goes back to a scenario's starting state, whatever the
 * operations changed since (a mended fault is broken again). The state is replaced in place
 * through the holder, so a state file shared with other processes changes under its lock and the
 * running bot reads the fresh organisation on its next operation.
 */
import type { Clock } from '../../core/index.ts';
import type { Scenario } from './scenarios.ts';
import type { LabState, StateHolder } from './state.ts';
import { initialState } from './state.ts';

export async function resetLab(holder: StateHolder, scenario: Scenario, clock: Clock): Promise<void> {
  const fresh = initialState(scenario, clock.now());
  await holder.update((state) => {
    const draft = state as unknown as Record<string, unknown>;
    for (const key of Object.keys(draft)) delete draft[key];
    Object.assign(draft, fresh satisfies LabState);
  });
}
