/** The whole alert flow from the CLI (filled in with the intake). */
import type { CliArgs } from './args.ts';
import type { CommandResult } from './chat-commands.ts';

export async function alertFlow(_args: CliArgs, _input: string): Promise<CommandResult> {
  return { exitCode: 1, output: 'the full alert flow is not available yet: use --parse-only' };
}
