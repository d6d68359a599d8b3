/**
 * What a button's click will need, from what the button does: requesting a state-changing step
 * or dismissing an owed one needs an operator. Approval buttons name their requester as well
 * (approval-card.ts). The engine checks each click regardless (approval-flow.ts, owed-actions.ts).
 */
import type { ActionAudience } from '../model/card.ts';
import type { ButtonCommand } from '../model/incident.ts';
import { changesState } from '../model/operations.ts';

export function audienceOf(command: ButtonCommand): ActionAudience | undefined {
  switch (command.type) {
    case 'step':
      return command.operation && changesState(command.operation) ? { role: 'operator' } : undefined;
    case 'fix':
    case 'override':
    case 'compensate':
    case 'dismiss-owed':
    case 'follow-up':
      return { role: 'operator' };
    case 'approve':
    case 'reject':
      return { role: 'approver' };
    default:
      return undefined;
  }
}
