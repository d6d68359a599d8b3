/**
 * `healthbot alert <file|->`: any alert format, read as the webhook and the chat read it. With
 * `--parse-only` it prints what was understood; without, it runs the alert through the whole flow
 * (alert card, incident, read-only diagnosis) on a recording surface, like `ask`.
 */
import { readFile } from 'node:fs/promises';
import type { Alert } from '../core/alerts/index.ts';
import { parseAlertInput } from '../core/alerts/index.ts';
import { createCatalogue } from '../core/engine/index.ts';
import { LAB_SERVERS } from '../exchange/lab/index.ts';
import { loadRunbooks } from '../runbooks/index.ts';
import type { CliArgs } from './args.ts';
import type { CommandResult } from './chat-commands.ts';
import { LOCALES_DIR, RUNBOOKS_DIR } from '../wiring/paths.ts';

async function readInput(source: string): Promise<string> {
  if (source !== '-') return readFile(source, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON `--parse-only` promises: server, healthSet, monitor (null when not named), state, and the rest. */
export function alertJson(alert: Alert) {
  return {
    server: alert.server,
    healthSet: alert.healthSet,
    monitor: alert.monitor ?? null,
    state: alert.state,
    at: alert.at,
    source: alert.source,
    deliveryId: alert.deliveryId ?? null,
    text: alert.text,
  };
}

export async function alert(args: CliArgs, source: string): Promise<CommandResult> {
  let input: string;
  try {
    input = await readInput(source);
  } catch (err) {
    return { exitCode: 1, output: `cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  if (!args.parseOnly) return (await import('./alert-flow.ts')).alertFlow(args, input);
  const { runbooks, known } = await loadRunbooks(RUNBOOKS_DIR, { localesDir: LOCALES_DIR });
  const catalogue = createCatalogue(runbooks, known);
  // Pasted text names servers the parser looks for; the lab's inventory is the one the CLI knows
  // without connecting anywhere. JSON and event XML name the server themselves.
  const result = parseAlertInput(
    input,
    { servers: LAB_SERVERS, healthSets: catalogue.healthSets.map((h) => h.name) },
    new Date(),
  );
  if (!result.ok)
    return {
      exitCode: 1,
      output: args.json
        ? JSON.stringify({ error: 'unparseable', reason: result.reason })
        : `cannot read the alert: ${result.reason}`,
    };
  const alerts = result.alerts.map(alertJson);
  return { exitCode: 0, output: JSON.stringify(alerts.length === 1 ? alerts[0] : alerts, null, 2) };
}
