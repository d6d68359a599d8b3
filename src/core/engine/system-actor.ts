import type { Actor } from '../model/event.ts';

/** Who acts when nobody clicked: timers, recovery after a restart, approved executions. */
export const SYSTEM_ACTOR: Actor = { platform: 'system', userId: 'healthbot', displayName: 'Healthbot' };
