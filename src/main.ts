/**
 * The composition root of the bot: configuration, logging and metrics, the services, the chat
 * adapters that have credentials, and one HTTP port that they share with the web chat,
 * /healthz and /metrics.
 */
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { ChatAdapter } from './core/index.ts';
import { ConfigError, surfaceFor } from './core/index.ts';
import { loadConfig, redactConfig } from './config.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { buildServices } from './wiring/services.ts';
import { closeChatAdapters, createChatAdapters, mountChatAdapters, startChatAdapters } from './wiring/adapters.ts';
import { createHttpApp, finishHttpApp, httpRequestListener } from './wiring/http-app.ts';
import { warmHttpPath } from './wiring/warm-http.ts';
import { createHostCheck } from './wiring/hosts.ts';
import { startAlerts } from './wiring/alerts.ts';
import type { AlertChannel } from './core/alerts/index.ts';
import { alertChannelsOf } from './wiring/alert-channels.ts';

const TICK_MS = 5_000;

async function main(): Promise<void> {
  const started = Date.now();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`healthbot cannot start:\n${err.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  const logger = createLogger(config.log);
  const metrics = createMetrics(logger);
  logger.info({ config: redactConfig(config) }, 'starting');

  // The adapters need the services (store, clock, policy) and the engine needs the adapters'
  // surfaces: the list is filled once, below, before anything can reach the engine.
  let adapters: readonly ChatAdapter[] = [];
  const services = await buildServices(config, {
    surfaces: (ref) => surfaceFor(adapters, ref),
    observer: metrics.observer,
    warn: (m) => logger.warn(m),
    log: (level, message, fields) => logger[level]({ component: 'exchange', ...(fields ?? {}) }, message),
    anchored: (anchor) =>
      logger.info(
        {
          component: 'audit',
          anchor: `${anchor.seq}:${anchor.hash}`,
          reason: anchor.reason,
          ...(anchor.incidentId ? { incidentId: anchor.incidentId } : {}),
        },
        'audit anchor',
      ),
  });
  const audit = services.audit;
  logger.info(
    {
      component: 'audit',
      keyId: audit.key.id,
      keyFrom: audit.origin,
      ...(audit.file ? { keyFile: audit.file } : {}),
      anchorFile: config.audit.anchorFile,
    },
    audit.origin === 'generated'
      ? `audit key generated in ${audit.file ?? ''}: keep it, and back it up apart from the database`
      : 'audit trail keyed',
  );
  if (config.databaseUrl && audit.origin !== 'environment' && !config.audit.keyFileConfigured) {
    logger.warn(
      { component: 'audit', keyFile: audit.file },
      'replicas sharing PostgreSQL must share the audit key: set HEALTHBOT_AUDIT_KEY or HEALTHBOT_AUDIT_KEY_FILE to the same key on every replica',
    );
  }
  const allowedHost = createHostCheck(config.web.hosts);
  const app = createHttpApp({ config, metrics, store: services.store, gateway: services.gateway, allowedHost });
  const scenario = await services.labScenario();
  const alertChannels: AlertChannel[] = [];
  const alerts = startAlerts({
    config,
    services,
    channels: alertChannels,
    app,
    log: (level, message, fields) => logger[level]({ component: 'alerts', ...(fields ?? {}) }, message),
  });
  adapters = await createChatAdapters({ config, services, logger, allowedHost, ...(scenario ? { scenario } : {}) });
  mountChatAdapters(app, adapters);
  alertChannels.push(...alertChannelsOf(adapters));
  finishHttpApp(app, (message, fields) => logger.error({ component: 'http', ...fields }, message));
  alerts.run();
  // A promise nobody awaited must not end the bot (Node's default for an unhandled rejection):
  // it costs at most the work it belonged to, and the log says what it was.
  process.on('unhandledRejection', (err) =>
    logger.error(
      { err: err instanceof Error ? { name: err.name, message: err.message } : String(err) },
      'unhandled rejection',
    ),
  );

  await startChatAdapters(adapters, services.engine);
  const recovered = await services.engine.recover();
  if (Object.values(recovered).some((n) => n > 0)) logger.warn(recovered, 'settled what a stopped process left behind');
  const ticker = setInterval(() => {
    services.engine.tick().catch((err: unknown) => metrics.observer.error?.('tick', err));
  }, TICK_MS);
  ticker.unref();
  // Anchor the head now (what an earlier run left is fixed from here on) and then while it moves.
  const anchor = (reason: string) =>
    services.engine.anchorAudit(reason).catch((err: unknown) => metrics.observer.error?.('audit-anchor', err));
  await anchor('start');
  const anchorTicker =
    config.audit.anchorMinutes > 0
      ? setInterval(() => void anchor('periodic'), config.audit.anchorMinutes * 60_000)
      : undefined;
  anchorTicker?.unref();

  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer(httpRequestListener(app, adapters, metrics)).listen(config.port, config.host, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    {
      url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/`,
      adapters: adapters.map((a) => a.description ?? a.name),
      startupMs: Date.now() - started,
    },
    'healthbot is listening',
  );
  // A platform that waits for acknowledgements (an adapter that answers its own paths) gets them
  // at full speed from the first burst on, which is likeliest right after a start.
  if (adapters.some((a) => (a.ownPaths?.length ?? 0) > 0))
    warmHttpPath().then(
      (answered) => logger.debug({ answered }, 'HTTP path warmed'),
      (err: unknown) => logger.debug({ err: String(err) }, 'warming the HTTP path failed'),
    );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    clearInterval(ticker);
    if (anchorTicker) clearInterval(anchorTicker);
    server.close();
    await anchor('stop');
    await alerts.stop();
    await closeChatAdapters(adapters);
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`healthbot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  // Exit now: what was opened before the failure (the database, a shell pool) would otherwise keep
  // a bot that cannot serve alive for seconds, and a supervisor would not see it fail.
  process.exit(1);
});
