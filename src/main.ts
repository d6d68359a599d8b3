/**
 * The composition root of the bot: configuration, logging and metrics, the services, the chat
 * adapters that have credentials, and one HTTP port that they share with the web chat,
 * /healthz and /metrics.
 */
import type { Server } from 'node:http';
import express from 'express';
import type { ChatSurface, ConversationRef } from './core/index.ts';
import { ConfigError } from './core/index.ts';
import { loadConfig, redactConfig } from './config.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { buildServices } from './wiring/services.ts';
import { mountChatAdapters } from './wiring/adapters.ts';

interface RoutedSurface {
  owns(ref: ConversationRef): boolean;
  readonly surface: ChatSurface;
}

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

  const routes: RoutedSurface[] = [];
  const services = await buildServices(config, {
    surfaces: (ref) => routes.find((r) => r.owns(ref))?.surface,
    observer: metrics.observer,
    warn: (m) => logger.warn(m),
    log: (level, message, fields) => logger[level]({ component: 'exchange', ...(fields ?? {}) }, message),
  });
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.on('finish', () => metrics.httpRequests.inc({ route: req.route?.path ?? req.path.split('/')[1] ?? '', status: String(res.statusCode) }));
    next();
  });
  app.get('/livez', (_req, res) => void res.json({ status: 'alive' }));
  app.get('/healthz', async (_req, res) => {
    const [store, gateway] = await Promise.all([services.store.health(), services.gateway.health()]);
    const ready = store.ok && gateway.ok;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', live: true, store, gateway, uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const scenario = await services.labScenario();
  const adapters = await mountChatAdapters(app, { config, services, logger, routes, ...(scenario ? { scenario } : {}) });

  const recovered = await services.engine.recover();
  if (Object.values(recovered).some((n) => n > 0)) logger.warn(recovered, 'settled what a stopped process left behind');
  const ticker = setInterval(() => {
    services.engine.tick().catch((err: unknown) => metrics.observer.error?.('tick', err));
  }, TICK_MS);
  ticker.unref();

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/`, adapters: adapters.names, startupMs: Date.now() - started }, 'healthbot is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    clearInterval(ticker);
    server.close();
    await adapters.stop();
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
