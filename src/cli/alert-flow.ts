/**
 * `healthbot alert <file|->` without `--parse-only`: the alert goes through the whole flow, as the
 * webhook's would, on the configured services (the lab by default): the alert card in the
 * rehearsal's alerts channel, the incident, and the read-only diagnosis in its thread.
 */
import type { AlertChannel } from '../core/alerts/index.ts';
import { parseAlertInput } from '../core/alerts/index.ts';
import type { CliArgs } from './args.ts';
import type { CommandResult } from './chat-commands.ts';
import { describeIncident, openSession } from './session.ts';
import { cardToText } from './text-card.ts';
import { createAlerts } from '../wiring/alerts.ts';
import { alertJson } from './alert-command.ts';

export async function alertFlow(args: CliArgs, input: string): Promise<CommandResult> {
  const session = await openSession(args);
  try {
    const { services, surface } = session;
    const servers = await services.gateway.listServers();
    const parsed = parseAlertInput(
      input,
      { servers, healthSets: services.catalogue.healthSets.map((h) => h.name) },
      services.clock.now(),
    );
    if (!parsed.ok)
      return {
        exitCode: 1,
        output: args.json
          ? JSON.stringify({ error: 'unparseable', reason: parsed.reason })
          : `cannot read the alert: ${parsed.reason}`,
      };
    // The rehearsal's alerts channel: each alert card starts a thread named after it.
    const channel: AlertChannel = {
      name: 'cli',
      async post(card) {
        const ref = await surface.post(`${session.conversation}:alerts`, card);
        return { conversation: `${session.conversation}:alert:${ref}`, messageRef: ref };
      },
      update: (posted, card) => surface.update(posted.conversation, posted.messageRef, card),
    };
    const intake = createAlerts(services.config, services, () => [channel]);
    const stored = await intake.accept(parsed.alerts);
    const report = await intake.drain();
    const text = surface.messages.map((m) => cardToText(m.card)).join('\n\n');
    if (!args.json)
      return {
        exitCode: 0,
        output:
          text || `nothing new: ${stored === 0 ? 'the alert was ignored or seen before' : 'the alert was recorded'}`,
      };
    const incidents = await services.store.listIncidents(1);
    return {
      exitCode: 0,
      output: JSON.stringify(
        {
          alerts: parsed.alerts.map(alertJson),
          report,
          ...(await describeIncident(session, incidents[0])),
          messages: surface.messages.map((m) => ({ ref: m.ref, card: m.card })),
        },
        null,
        2,
      ),
    };
  } finally {
    await session.close();
  }
}
