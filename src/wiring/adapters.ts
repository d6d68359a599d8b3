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
import { createSlackAdapter } from '../../adapters/slack/index.ts';
import { createTeamsAdapter } from '../../adapters/teams/index.ts';
import type { Policy } from '../core/index.ts';
import { hasRole } from '../core/index.ts';
import { ConfigError } from '../core/index.ts';
import { readLocaleFiles } from '../i18n/index.ts';
import { LOCALES_DIR } from './paths.ts';
import type { HostCheck } from './hosts.ts';
import type { AlertChannel } from '../core/alerts/index.ts';
import { alertChannel, slackAlertChannel } from './alert-channels.ts';

/** Group names the policy gives roles to on `platform` (or on every platform). */
export function policyGroups(policy: Policy, platform: string): string[] {
  const lists = [policy.askers === 'everyone' ? [] : policy.askers, policy.operators, policy.approvers];
  const groups = lists.flat().flatMap((p) => (p.group && (!p.platform || p.platform === platform) ? [p.group] : []));
  return [...new Set(groups)].sort();
}

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
    /** The host names the web chat answers to (HEALTHBOT_WEB_HOSTS, loopback by default). */
    allowedHost: HostCheck;
    routes: { owns(ref: ConversationRef): boolean; readonly surface: ChatSurface }[];
    /** Filled with each mounted platform's alerts channel. */
    alertChannels?: AlertChannel[];
  },
): Promise<MountedAdapters> {
  const { config, services, logger, routes } = deps;
  const log = (component: string) => (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: object) =>
    logger[level]({ component, ...(fields ?? {}) }, msg);
  const names: string[] = [];
  const stops: (() => Promise<void> | void)[] = [];

  const locales = readLocaleFiles(LOCALES_DIR);
  const namespace = (ns: string) => Object.fromEntries(Object.entries(locales).map(([lng, files]) => [lng, (files[ns] ?? {}) as Record<string, string>]));

  if (config.slack) {
    let slack;
    try {
      slack = await createSlackAdapter({
        engine: services.engine,
        store: services.store,
        clock: services.clock,
        log: log('slack'),
        config: config.slack,
        roleGroups: policyGroups(services.policy, 'slack'),
        texts: namespace('slack'),
      });
    } catch (err) {
      throw new ConfigError([err instanceof Error ? err.message : String(err)]);
    }
    // The receiver reads the raw body to check Slack's signature: mounted before anything parses bodies.
    if (slack.router) app.use(slack.router);
    await slack.start();
    routes.push(slack);
    if (config.alerts.slackChannel) deps.alertChannels?.push(slackAlertChannel(config.alerts.slackChannel, slack));
    stops.push(() => slack.close());
    names.push(`slack (${slack.mode === 'socket' ? 'Socket Mode' : 'HTTP at /slack/events'})`);
  }

  if (config.teams) {
    let teams;
    try {
      teams = createTeamsAdapter({
        engine: services.engine,
        store: services.store,
        clock: services.clock,
        config: config.teams,
        log: log('teams'),
        // Choosing where alerts go is an operator's decision, not anyone's in the channel.
        canSetAlerts: (actor) => hasRole(services.policy, actor, 'operator'),
      });
    } catch (err) {
      throw new ConfigError([err instanceof Error ? err.message : String(err)]);
    }
    // Teams owns POST /api/messages outright: whatever is not an authenticated activity is refused
    // there. The web chat's API lives elsewhere (/chat/...), so nothing falls through to a persona.
    app.use(teams.router);
    routes.push(teams);
    deps.alertChannels?.push(alertChannel('teams', teams));
    stops.push(() => teams.close());
    names.push(config.teams.appId ? 'teams (/api/messages)' : 'teams (/api/messages, INSECURE dev mode: no authentication)');
  }

  if (config.web.enabled) {
    const web = createWebChat({
      engine: services.engine,
      personas: services.personas,
      clock: services.clock,
      log: log('web'),
      texts: namespace('web'),
      ...(deps.scenario ? { scenario: deps.scenario } : {}),
      ...(config.web.token ? { token: config.web.token } : {}),
      allowedHost: deps.allowedHost,
    });
    app.use('/', web.router);
    routes.push(web);
    deps.alertChannels?.push(alertChannel('web', web));
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
