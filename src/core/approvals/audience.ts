/**
 * Whether a person could use a button, read from the button's audience and the policy: the same
 * rules the engine applies to the click, asked before it. Only for leaving out what a viewer would
 * be refused; the click itself is still checked.
 */
import type { ActionAudience } from '../model/card.ts';
import type { Actor } from '../model/event.ts';
import type { Policy } from './policy.ts';
import { hasRole, samePerson } from './policy.ts';

export function mayUse(policy: Policy, viewer: Actor, audience: ActionAudience | undefined): boolean {
  if (!audience) return true;
  if (audience.role && !hasRole(policy, viewer, audience.role)) return false;
  if (audience.notBy && samePerson(audience.notBy, viewer)) return false;
  if (audience.onlyBy && !samePerson(audience.onlyBy, viewer)) return false;
  return true;
}
