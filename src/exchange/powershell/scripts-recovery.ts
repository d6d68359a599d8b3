/**
 * Recovery operations beyond putting a server back: moving active database copies home once
 * activation is allowed again (a separate, approved decision).
 */
import type { ScriptName } from './scripts.ts';

export const RECOVERY_BODIES = {
  // Every database whose preferred copy (ActivationPreference 1) is on this server is activated
  // here again; Exchange skips databases already active here. One row per database it tried.
  'rebalance-databases': `$moves = @(Move-ActiveMailboxDatabase -ActivatePreferredOnServer $p.server -Confirm:$false -ErrorAction Stop)
    $moves | Select-Object -Property @(@{ n = 'Database'; e = { [string]$_.Identity } }, @{ n = 'ActiveServerAtStart'; e = { [string]$_.ActiveServerAtStart } },
      @{ n = 'ActiveServerAtEnd'; e = { [string]$_.ActiveServerAtEnd } }, @{ n = 'Status'; e = { [string]$_.Status } }, @{ n = 'ErrorMessage'; e = { [string]$_.ErrorMessage } })`,
} satisfies Partial<Record<ScriptName, string>>;
