/**
 * One call of a fixed script on a shell, from values to Exchange's data: the shell runs it, the
 * envelope is found in the output, and a PowerShell error becomes a typed GatewayError.
 */
import { GatewayError } from '../../core/index.ts';
import { classify, readAnswer } from './envelope.ts';
import type { ScriptName } from './scripts.ts';
import type { PwshShell } from './shell.ts';

export interface CallResult {
  readonly data: unknown;
  /** Warnings the script captured, and anything else either stream carried. Never a failure. */
  readonly warnings: readonly string[];
  readonly startedAt: Date;
  readonly endedAt: Date;
}

export async function callScript(
  shell: PwshShell,
  name: ScriptName,
  values: Readonly<Record<string, unknown>>,
  signal: AbortSignal,
  server?: string,
): Promise<CallResult> {
  const raw = await shell.run(name, values, signal);
  const { envelope, noise, stderr } = readAnswer(raw.stdout, raw.stderr);
  const params = server ? { server } : {};
  if (!envelope) {
    // No envelope: PowerShell could not run the script at all (stderr says why), or what came
    // back is not ours to read.
    if (stderr.length > 0) throw classify({ message: stderr.join(' ').slice(0, 500) }, server);
    throw new GatewayError('bad-output', `${name} printed no answer that could be read`, params);
  }
  const warnings = [...envelope.warnings, ...noise];
  if (!envelope.ok) throw classify(envelope.error, server);
  return { data: envelope.data, warnings, startedAt: raw.startedAt, endedAt: raw.endedAt };
}
