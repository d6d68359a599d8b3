/**
 * The chat adapters the bot runs, as one list of `ChatAdapter`s: the web chat unless switched off,
 * Slack and Teams when their credentials are set. Each platform is one row of CHAT_ADAPTERS, and
 * its module (with its SDK: Bolt, botbuilder) is imported only when that row is configured, so a
 * bot without Slack never loads Bolt. A fourth platform is one more row.
 */
import type { Express, RequestHandler } from 'express';
import type { ChatAdapter, ChatEngine, Policy } from '../core/index.ts';
import { ConfigError, hasRole, mayUse } from '../core/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Services } from './services.ts';
import { readLocaleFiles } from '../i18n/index.ts';
import { join } from 'node:path';
import { LOCALES_DIR } from './paths.ts';
import { scenarioList } from './scenario-list.ts';
import { seedFiles } from './warm-caches.ts';
import type { HostCheck } from './hosts.ts';

/** Group names the policy gives roles to on `platform` (or on every platform). */
export function policyGroups(policy: Policy, platform: string): string[] {
  const lists = [policy.askers === 'everyone' ? [] : policy.askers, policy.operators, policy.approvers];
  const groups = lists.flat().flatMap((p) => (p.group && (!p.platform || p.platform === platform) ? [p.group] : []));
  return [...new Set(groups)].sort();
}

export interface AdapterDeps {
  readonly config: Config;
  readonly services: Pick<Services, 'store' | 'clock' | 'policy' | 'personas' | 'resetLab' | 'labScenario'>;
  readonly logger: Logger;
  /** The lab scenario that runs, for the web chat's header. */
  readonly scenario?: string;
  /** The host names the web chat answers to (HEALTHBOT_WEB_HOSTS, loopback by default). */
  readonly allowedHost: HostCheck;
}

type Log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: object) => void;

/** One platform: is it configured, and how to build it (its module imported only then). */
export interface AdapterEntry {
  readonly name: string;
  configured(config: Config): boolean;
  load(
    deps: AdapterDeps,
    tools: { log: Log; texts: (namespace: string) => Record<string, Record<string, string>> },
  ): Promise<ChatAdapter>;
}

export const CHAT_ADAPTERS: readonly AdapterEntry[] = [
  {
    name: 'slack',
    configured: (config) => config.slack !== undefined,
    async load({ config, services }, { log, texts }) {
      const { createSlackAdapter } = await import('../../adapters/slack/index.ts');
      return createSlackAdapter({
        store: services.store,
        clock: services.clock,
        log,
        config: config.slack!,
        roleGroups: policyGroups(services.policy, 'slack'),
        texts: texts('slack'),
        ...(config.alerts.slackChannel ? { alertsChannel: config.alerts.slackChannel } : {}),
      });
    },
  },
  {
    name: 'teams',
    configured: (config) => config.teams !== undefined,
    async load({ config, services }, { log, texts }) {
      const { createTeamsAdapter } = await import('../../adapters/teams/index.ts');
      return createTeamsAdapter({
        store: services.store,
        clock: services.clock,
        config: config.teams!,
        log,
        texts: texts('teams'),
        // Choosing where alerts go is an operator's decision, not anyone's in the channel.
        canSetAlerts: (actor) => hasRole(services.policy, actor, 'operator'),
      });
    },
  },
  {
    name: 'web',
    configured: (config) => config.web.enabled,
    async load({ config, services, scenario, allowedHost }, { log, texts }) {
      const { createWebChat } = await import('../../adapters/web/index.ts');
      // The picker and reset button exist only where there is a lab to reset.
      const lab = services.resetLab ? await webLab(services, config.dataDir, services.resetLab) : undefined;
      return createWebChat({
        personas: services.personas,
        mayUse: (viewer, audience) => mayUse(services.policy, viewer, audience),
        ...(lab ? { lab } : {}),
        clock: services.clock,
        log,
        texts: texts('web'),
        ...(scenario ? { scenario } : {}),
        ...(config.web.token ? { token: config.web.token } : {}),
        allowedHost: allowedHost,
      });
    },
  },
];

async function webLab(
  services: AdapterDeps['services'],
  dataDir: string,
  reset: (scenario: string) => Promise<string>,
) {
  const { createWebLab } = await import('./web-lab.ts');
  return createWebLab({
    store: services.store,
    clock: services.clock,
    scenarios: await scenarioList(join(dataDir, 'cache', 'scenarios.json'), seedFiles.scenarios),
    reset,
    current: () => services.labScenario(),
  });
}

/** Builds the configured adapters, in the table's order. A platform that refuses its settings stops the start. */
export async function createChatAdapters(
  deps: AdapterDeps,
  entries: readonly AdapterEntry[] = CHAT_ADAPTERS,
): Promise<ChatAdapter[]> {
  const locales = readLocaleFiles(LOCALES_DIR);
  const texts = (ns: string) =>
    Object.fromEntries(
      Object.entries(locales).map(([lng, files]) => [lng, (files[ns] ?? {}) as Record<string, string>]),
    );
  const adapters: ChatAdapter[] = [];
  for (const entry of entries.filter((e) => e.configured(deps.config))) {
    const log: Log = (level, msg, fields) => deps.logger[level]({ component: entry.name, ...(fields ?? {}) }, msg);
    try {
      adapters.push(await entry.load(deps, { log, texts }));
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError([err instanceof Error ? err.message : String(err)]);
    }
  }
  return adapters;
}

/**
 * Mounts each adapter's router, in order, before anything parses bodies (Slack checks its
 * signature over the raw body). Teams owns POST /api/messages outright; the web chat's API lives
 * at /chat/..., so nothing meant for one platform falls through to another.
 */
export function mountChatAdapters(app: Express, adapters: readonly ChatAdapter[]): void {
  // The port types the router loosely (core knows no HTTP library); every adapter's is a
  // `(req, res, next)` handler for Node's http, which is what express mounts.
  for (const adapter of adapters) if (adapter.router) app.use(adapter.router as unknown as RequestHandler);
}

export async function startChatAdapters(adapters: readonly ChatAdapter[], engine: ChatEngine): Promise<void> {
  for (const adapter of adapters) await adapter.start(engine);
}

/** Closes every adapter, each waiting for its work in flight; one failing does not keep the others open. */
export async function closeChatAdapters(adapters: readonly ChatAdapter[]): Promise<void> {
  await Promise.allSettled(adapters.map((a) => a.close()));
}
