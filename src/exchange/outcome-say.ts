/**
 * An action's outcome for a person, as both gateways report it: an `engine:outcome.*` code and its
 * values, never an English sentence; the engine renders it in the incident's language. `quoted` is
 * text Windows or Exchange wrote itself (a command's last lines), shown as written.
 */
import type { OutcomeSay } from '../core/index.ts';

export function outcomeSay(code: string, vars: Readonly<Record<string, string | number>>, quoted?: string): OutcomeSay {
  return quoted ? { code, vars, quoted } : { code, vars };
}
