/**
 * The lab's Move-ActiveMailboxDatabase -ActivatePreferredOnServer: each database whose preferred
 * copy (ActivationPreference 1) is on the server, healthy and passive, becomes active there again;
 * the copy that was active becomes a healthy passive one. A server still blocked from activation
 * takes nothing, as Exchange refuses to activate a copy there.
 */
import type { ActionOutcome, ServerInfo } from '../../core/index.ts';
import type { LabState } from './state.ts';
import { outcomeSay } from '../outcome-say.ts';
import { rebalanceSay } from '../rebalance-say.ts';

export function rebalanceOnto(state: LabState, server: ServerInfo): ActionOutcome {
  const name = server.name;
  const preferred = state.copies.filter(
    (c) => c.server === name && c.activationPreference === 1 && c.status !== 'Mounted',
  );
  if (
    preferred.length > 0 &&
    (state.activationBlocked.includes(name) || state.activationPolicy?.[name] === 'Blocked')
  ) {
    return {
      ok: false,
      detail: `not moved: activation is blocked on ${name}; allow it first`,
      say: outcomeSay('rebalanceBlocked', { server: name }),
    };
  }
  const moved: string[] = [];
  const failed: string[] = [];
  const said = { moved: [] as string[], failed: [] as string[] };
  for (const copy of preferred) {
    const active = state.copies.find((c) => c.database === copy.database && c.status === 'Mounted');
    if (copy.status !== 'Healthy') {
      failed.push(`${copy.database} (Failed: its copy on ${name} is ${copy.status})`);
      said.failed.push(`${copy.database} (${copy.status})`);
      continue;
    }
    if (active) active.status = 'Healthy';
    copy.status = 'Mounted';
    moved.push(active ? `${copy.database} (from ${active.server})` : copy.database);
    said.moved.push(active ? `${copy.database} ← ${active.server}` : copy.database);
  }
  if (moved.length === 0 && failed.length === 0)
    return {
      ok: true,
      detail: `no database had to move back to ${name}`,
      say: rebalanceSay({ server: name, moved: [], failed: [] }),
    };
  const parts = [
    ...(moved.length > 0 ? [`moved back to ${name}: ${moved.join(', ')}`] : []),
    ...(failed.length > 0 ? [`not moved: ${failed.join('; ')}`] : []),
  ];
  return { ok: failed.length === 0, detail: parts.join('; '), say: rebalanceSay({ server: name, ...said }) };
}
