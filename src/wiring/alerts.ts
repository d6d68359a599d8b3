/**
 * Alerts in, wired: the intake (stored first, drained after a short batch window), the webhook
 * on the shared HTTP app, and watch mode when it is on. The bot and the CLI's `alert` share it.
 */
import type { Express } from 'express';
import type { AlertChannel, AlertIntake, Watcher } from '../core/alerts/index.ts';
import { createAlertIntake, createWatcher } from '../core/alerts/index.ts';
import type { Config } from '../config.ts';
import type { Services } from './services.ts';
import { createAlertsWebhook } from './alerts-webhook.ts';

export interface AlertsWiring {
  readonly intake: AlertIntake;
  readonly watcher?: Watcher;
  /** Once the chat adapters are mounted: drain what an earlier run left, and start watching. */
  run(): void;
  stop(): Promise<void>;
}

export function createAlerts(
  config: Config,
  services: Services,
  channels: () => readonly AlertChannel[],
  later?: (ms: number, work: () => void) => void,
): AlertIntake {
  const a = config.alerts;
  return createAlertIntake({
    ctx: services.engine.context,
    channels,
    settings: {
      locale: a.locale,
      stormThreshold: a.stormThreshold,
      stormWindowMs: a.stormWindowSeconds * 1000,
      ignore: a.ignore,
    },
    ...(later ? { later } : {}),
  });
}

export function startAlerts(deps: {
  readonly config: Config;
  readonly services: Services;
  readonly channels: readonly AlertChannel[];
  readonly app: Express;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: object) => void;
}): AlertsWiring {
  const { config, services } = deps;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };
  const intake = createAlerts(config, services, () => deps.channels, later);
  deps.app.use(
    createAlertsWebhook({
      config: config.alerts,
      intake,
      clock: services.clock,
      vocabulary: async () => ({
        servers: await services.gateway.listServers(),
        healthSets: services.catalogue.healthSets.map((h) => h.name),
      }),
      log: (level, message, fields) => deps.log(level, message, fields),
    }),
  );
  const w = config.alerts.watch;
  const watcher = w.enabled
    ? createWatcher({
        ctx: services.engine.context,
        emit: (alerts) => intake.accept(alerts),
        settings: { intervalMs: w.intervalSeconds * 1000, concurrency: w.concurrency, samples: w.samples },
        locale: config.alerts.locale,
      })
    : undefined;
  return {
    intake,
    ...(watcher ? { watcher } : {}),
    run() {
      // Whatever an earlier run acknowledged but did not finish is processed now.
      intake
        .drain()
        .catch((err: unknown) =>
          deps.log('error', 'alerts: draining what an earlier run left failed', { err: String(err) }),
        );
      watcher?.start();
    },
    async stop() {
      await watcher?.stop();
      for (const t of timers) clearTimeout(t);
      await intake.idle();
    },
  };
}
