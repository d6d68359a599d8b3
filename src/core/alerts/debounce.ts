/**
 * Debounce for watch mode: a health set counts as raised after `samples` unhealthy readings in a
 * row, and as cleared after `samples` healthy ones. A reading that could not be made changes
 * nothing: an unreadable server is never taken for a healthy one.
 */

export type Reading = 'unhealthy' | 'healthy';

export interface SetState {
  readonly raised: boolean;
  readonly streak: number;
  readonly seen: Reading;
}

export type Change = 'raise' | 'clear' | undefined;

export function observe(
  previous: SetState | undefined,
  reading: Reading,
  samples: number,
): { state: SetState; change: Change } {
  const streak = previous?.seen === reading ? previous.streak + 1 : 1;
  const raised = previous?.raised ?? false;
  if (!raised && reading === 'unhealthy' && streak >= samples)
    return { state: { raised: true, streak, seen: reading }, change: 'raise' };
  if (raised && reading === 'healthy' && streak >= samples)
    return { state: { raised: false, streak, seen: reading }, change: 'clear' };
  return { state: { raised, streak, seen: reading }, change: undefined };
}
