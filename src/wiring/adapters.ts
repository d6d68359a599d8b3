/**
 * Mounts the chat adapters on the shared HTTP app: the web chat unless switched off, Slack and
 * Teams when their credentials are set. Each adapter says which conversations it owns, so the
 * engine's replies reach the right platform.
 */
import type { Express } from 'express';
import type { ChatSurface, ConversationRef } from '../core/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Services } from './services.ts';
import { createWebChat } from '../../adapters/web/index.ts';
import { ConfigError } from '../core/index.ts';
import { readLocaleFiles } from '../i18n/index.ts';
import { LOCALES_DIR } from './paths.ts';

export interface MountedAdapters {
  readonly names: readonly string[];
  stop(): Promise<void>;
}

export async function mountChatAdapters(
  app: Express,
  deps: {
    config: Config;
    services: Services;
    logger: Logger;
    /** The lab scenario that runs, for the web chat's header. */
    scenario?: string;
    routes: { owns(ref: ConversationRef): boolean; readonly surface: ChatSurface }[];
  },
): Promise<MountedAdapters> {
  const { config, services, logger, routes } = deps;
  const log = (component: string) => (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: object) =>
    logger[level]({ component, ...(fields ?? {}) }, msg);
  const names: string[] = [];
  const stops: (() => Promise<void> | void)[] = [];

  // Slack (issue 5) and Teams (issue 6) adapters are not built yet. Credentials for them must
  // not be ignored silently: an administrator who set them expects the bot on that platform.
  const missing = [config.slack ? 'Slack (SLACK_BOT_TOKEN is set)' : '', config.teams ? 'Microsoft Teams (MICROSOFT_APP_ID is set)' : ''].filter(Boolean);
  if (missing.length > 0) throw new ConfigError(missing.map((m) => `${m}: this build has no adapter for it yet; unset its credentials to run the web chat alone`));

  if (config.web.enabled) {
    const web = createWebChat({
      engine: services.engine,
      personas: services.personas,
      clock: services.clock,
      log: log('web'),
      texts: Object.fromEntries(Object.entries(readLocaleFiles(LOCALES_DIR)).map(([lng, ns]) => [lng, (ns.web ?? {}) as Record<string, string>])),
      ...(deps.scenario ? { scenario: deps.scenario } : {}),
      ...(config.web.token ? { token: config.web.token } : {}),
    });
    app.use('/', web.router);
    routes.push(web);
    stops.push(() => web.close());
    names.push('web');
  }

  return {
    names,
    async stop() {
      for (const s of stops) await s();
    },
  };
}
