/** What the alert tests start from: an alert, and an engine with an alert intake. */
import type { Alert } from '../../src/core/alerts/index.ts';
import { createAlertIntake } from '../../src/core/alerts/index.ts';
import type { Locale } from '../../src/core/index.ts';
import { createHarness } from '../engine/harness.ts';
import { recordingChannel } from './channel.ts';

/** IMAP raised on SERVER1 by the event log at 13:58 UTC. */
export const raisedAlert = (over: Partial<Alert> = {}): Alert => ({
  server: 'SERVER1',
  healthSet: 'IMAP',
  monitor: 'ImapCTPMonitor',
  state: 'raised',
  at: '2026-11-24T13:58:00.000Z',
  source: 'event-log',
  text: 'IMAP health set unhealthy (ImapCTPMonitor) on SERVER1',
  ...over,
});

/**
 * An engine on a lab scenario with an alert intake posting to a recording channel; `alertLocale`
 * is the language alert cards are written in, `harness` what the engine is set up with.
 */
export async function alertIntakeOn(
  scenario = 'imap-backend-hang',
  alertLocale?: Locale,
  harness: Parameters<typeof createHarness>[1] = {},
) {
  const h = await createHarness(scenario, harness);
  const channel = recordingChannel(h.surface);
  const intake = createAlertIntake({
    ctx: h.engine.context,
    channels: () => [channel],
    ...(alertLocale ? { settings: { locale: alertLocale } } : {}),
  });
  return { h, channel, intake };
}
