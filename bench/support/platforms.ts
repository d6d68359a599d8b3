/**
 * The bot on both chat platforms at once, for benchmarks: the real engine, the Slack and Teams
 * adapters as shipped (their default budgets and pacing), and the stand-ins that enforce the
 * platforms' documented rate limits, so a benchmark counts the 429s the bot provokes.
 */
import { join } from 'node:path';
import type { ChatSurface, ConversationRef, ExchangeGateway, Store } from '../../src/core/index.ts';
import { systemClock } from '../../src/core/index.ts';
import { readLocaleFiles } from '../../src/i18n/index.ts';
import { createSlackAdapter } from '../../adapters/slack/index.ts';
import { createTeamsAdapter } from '../../adapters/teams/index.ts';
import { benchEngine, ROOT } from '../engine.ts';
import { STANDIN_SLACK_TOKEN, startSlackStandIn } from './slack-standin.ts';
import { teamsStandIn } from './teams-standin.ts';

export async function onBothPlatforms(o: {
  readonly gateway: ExchangeGateway;
  readonly store: Store;
  readonly slackSigningSecret: string;
  /** SLACK_ALERTS_CHANNEL, when the benchmark sends alerts. */
  readonly slackAlertsChannel?: string;
}) {
  const slackApi = await startSlackStandIn({ latencyMs: 80 });
  const teamsApi = teamsStandIn({ latencyMs: 60 });
  const routes: { owns(ref: ConversationRef): boolean; readonly surface: ChatSurface }[] = [];
  const engine = await benchEngine({
    gateway: o.gateway,
    store: o.store,
    surfaces: (ref) => routes.find((r) => r.owns(ref))?.surface,
    labPolicy: true,
  });
  const locales = readLocaleFiles(join(ROOT, 'locales'));
  const texts = (ns: 'slack' | 'teams') =>
    Object.fromEntries(Object.entries(locales).map(([l, all]) => [l, all[ns] as Record<string, string>]));
  const slack = await createSlackAdapter({
    engine,
    store: o.store,
    clock: systemClock,
    log: () => {},
    config: { botToken: STANDIN_SLACK_TOKEN, signingSecret: o.slackSigningSecret, apiUrl: slackApi.url },
    roleGroups: [],
    texts: texts('slack'),
    bot: { userId: 'UHEALTHBOT', botId: 'BHEALTHBOT' },
    ...(o.slackAlertsChannel ? { alertsChannel: o.slackAlertsChannel } : {}),
  });
  const teams = createTeamsAdapter({
    engine,
    store: o.store,
    clock: systemClock,
    log: () => {},
    connector: teamsApi.connector,
    config: { appId: '', insecureDev: true },
    texts: texts('teams'),
  });
  routes.push(slack, teams);
  /** Closes what this made: both adapters, then the Slack stand-in (the Teams one holds nothing open). */
  const close = async () => {
    await slack.close();
    await teams.close();
    await slackApi.close();
  };
  return { slackApi, teamsApi, engine, slack, teams, close };
}
