/**
 * The web chat's lab controls (scenario picker, reset button), built by the composition root
 * only when the bot runs on the lab. The reset is audited before it happens: a change nobody
 * could account for afterwards does not happen.
 */
import type { Actor, Clock, Store } from '../core/index.ts';

export interface WebLabDeps {
  readonly store: Pick<Store, 'appendAudit'>;
  readonly clock: Clock;
  readonly scenarios: readonly { readonly id: string; readonly title: string }[];
  /** The lab gateway's reset (the scenario started over). */
  readonly reset: (scenario: string) => Promise<string>;
  /** The scenario running now, recorded beside the reset. */
  readonly current: () => Promise<string | undefined>;
}

export function createWebLab(deps: WebLabDeps) {
  return {
    scenarios: deps.scenarios.map((s) => ({ id: s.id, title: s.title })),
    async reset(scenario: string, by: Actor): Promise<string> {
      const before = await deps.current().catch(() => undefined);
      await deps.store.appendAudit({
        type: 'command',
        at: deps.clock.now().toISOString(),
        actor: by,
        data: { command: 'lab-reset', scenario, ...(before ? { before } : {}) },
      });
      return deps.reset(scenario);
    },
  };
}
