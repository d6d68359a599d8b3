/**
 * Healthbot on Slack, with Bolt. Socket Mode when an app-level token is set (no public URL: right
 * for Exchange shops behind a firewall), otherwise HTTP mode at /slack/events on the bot's one
 * port, with signed requests. Bolt lives in this folder only; the engine sees neutral events.
 *
 * Every request is acknowledged first and worked on after: Events API events are acknowledged by
 * Bolt before the listeners run, and the command and button listeners call `ack()` before
 * anything slow. Redelivered events keep their `event_id`, which the engine claims once; two clicks
 * on one button are two clicks, and the approval's compare-and-set lets only one of them act.
 */
import { App, LogLevel, webApi } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { Card, ChatAdapter, ChatEngine, Clock, Store } from '../../src/core/index.ts';
import { WorkQueue, cleanText } from '../../src/core/index.ts';
import { ACTION_PREFIX } from './blocks.ts';
import { SLACK_PREFIX, encodeThread } from './conversation.ts';
import { escapeMrkdwn } from './mrkdwn.ts';
import { createIdentities } from './identity.ts';
import { SLACK_EVENTS_PATH, createAckFirstReceiver } from './http-receiver.ts';
import type { NodeHandler } from './http-receiver.ts';
import type { SlackSurface, SlackSurfaceOptions } from './surface.ts';
import { createSlackSurface } from './surface.ts';
import { slackAlertSender } from './alerts.ts';
import type { SlackTexts } from './texts.ts';
import { slackText } from './texts.ts';

type Log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: object) => void;

export interface SlackAdapterOptions {
  /** The engine to hand events to; otherwise the one given to `start`. */
  readonly engine?: ChatEngine;
  /** Tells follow-ups in a thread the bot is part of from the rest of the channel's chatter. */
  readonly store: Pick<Store, 'getConversation'>;
  readonly clock: Clock;
  readonly log: Log;
  readonly config: {
    readonly botToken: string;
    readonly appToken?: string;
    readonly signingSecret?: string;
    readonly apiUrl?: string;
  };
  /** User group ids the policy names (roles by group). */
  readonly roleGroups: readonly string[];
  readonly texts: SlackTexts;
  /** Known bot identity; when absent it is read with `auth.test` at start (which also checks the token). */
  readonly bot?: { readonly userId: string; readonly botId: string };
  readonly clientOptions?: webApi.WebClientOptions;
  readonly minUpdateIntervalMs?: number;
  readonly updatesPerMinute?: number;
  /** Per channel, for new messages (default: the surface's POST_LIMITS, under Slack's one a second). */
  readonly postLimits?: SlackSurfaceOptions['postLimits'];
  /** Events handled at once after their acknowledgement (default 32). */
  readonly concurrency?: number;
  /** The channel id alert cards go to (SLACK_ALERTS_CHANNEL); without one, Slack gets no alert cards. */
  readonly alertsChannel?: string;
}

export interface SlackAdapter extends ChatAdapter {
  readonly mode: 'socket' | 'http';
  readonly surface: SlackSurface;
  /** HTTP mode: POST /slack/events, to mount on the bot's HTTP app. */
  readonly router?: NodeHandler;
}

function boltLogger(log: Log): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => log('debug', m.map(String).join(' '), { component: 'slack' }),
    info: (...m: unknown[]) => log('info', m.map(String).join(' '), { component: 'slack' }),
    warn: (...m: unknown[]) => log('warn', m.map(String).join(' '), { component: 'slack' }),
    error: (...m: unknown[]) => log('error', m.map(String).join(' '), { component: 'slack' }),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

/** `<@U123> imap on server1` → `imap on server1`: the bot's own mention is not part of the question. */
export function withoutMention(text: string, botUserId: string): string {
  return cleanText(text)
    .replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function createSlackAdapter(options: SlackAdapterOptions): Promise<SlackAdapter> {
  const { config, log } = options;
  const bound: { engine?: ChatEngine } = options.engine ? { engine: options.engine } : {};
  let closed = false;
  // Listeners run only while the adapter is started and not closed; anything else is dropped here.
  const engine: ChatEngine = {
    handle: (event) => (bound.engine && !closed ? bound.engine.handle(event) : Promise.resolve()),
    claim: (eventId) => (bound.engine && !closed ? bound.engine.claim(eventId) : Promise.resolve(false)),
  };
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {}),
    ...options.clientOptions,
  };
  const logger = boltLogger(log);
  const socketMode = Boolean(config.appToken);
  const queue = new WorkQueue(options.concurrency ?? 32);
  const receiver = socketMode
    ? undefined
    : createAckFirstReceiver({
        signingSecret: config.signingSecret ?? '',
        log,
        accepting: () => !closed && bound.engine !== undefined,
        // An event acknowledged must find a place in the queue; one that would not is refused.
        room: () => queue.room,
      });

  const bot = options.bot ?? (await whoAmI(config.botToken, clientOptions));
  const app = new App({
    token: config.botToken,
    botId: bot.botId,
    botUserId: bot.userId,
    logger,
    clientOptions,
    ...(socketMode ? { socketMode: true, appToken: config.appToken! } : { receiver: receiver! }),
  });
  const client = app.client;
  const sendAlert = slackAlertSender(client);
  const surface = createSlackSurface({
    client,
    clock: options.clock,
    log,
    ...(options.minUpdateIntervalMs !== undefined ? { minUpdateIntervalMs: options.minUpdateIntervalMs } : {}),
    ...(options.updatesPerMinute !== undefined ? { updatesPerMinute: options.updatesPerMinute } : {}),
    ...(options.postLimits !== undefined ? { postLimits: options.postLimits } : {}),
  });
  const identities = createIdentities({ client, clock: options.clock, groups: options.roleGroups, log });

  // Listeners return at once; the identity lookup and the engine run after the acknowledgement.
  // Clicks go first: the person is looking at the card.
  const work = (run: () => Promise<void>, urgent = false) =>
    closed
      ? undefined
      : void queue
          .push(run, { urgent })
          .catch((err: unknown) =>
            log('error', 'slack: handling an event failed', { err: err instanceof Error ? err.message : String(err) }),
          );

  app.event('app_mention', async ({ event, body }) => {
    if (!event.user || event.bot_id) return;
    const conversation = encodeThread({
      team: body.team_id,
      channel: event.channel,
      threadTs: event.thread_ts ?? event.ts,
    });
    const user = event.user;
    work(async () =>
      engine.handle({
        kind: 'message',
        eventId: `slack:${body.event_id}`,
        conversation,
        actor: await identities.actor(user),
        text: withoutMention(event.text, bot.userId),
      }),
    );
  });

  app.message(async ({ message, body }) => {
    // Plain messages by people only: edits, joins and bot posts carry a subtype.
    if (message.subtype !== undefined || !('user' in message) || !message.user || !('text' in message)) return;
    const text = message.text ?? '';
    if (text.includes(`<@${bot.userId}`)) return; // app_mention answers those
    const envelope = body as { team_id: string; event_id: string };
    const direct = message.channel_type === 'im';
    const threadTs = message.thread_ts ?? (direct ? message.ts : undefined);
    if (!threadTs) return;
    const conversation = encodeThread({ team: envelope.team_id, channel: message.channel, threadTs });
    const user = message.user;
    work(async () => {
      // In channels, only threads the bot answered in are follow-ups; the rest is not for us.
      if (!direct && !(await options.store.getConversation(conversation))) return;
      await engine.handle({
        kind: 'message',
        eventId: `slack:${envelope.event_id}`,
        conversation,
        actor: await identities.actor(user),
        text: withoutMention(text, bot.userId),
      });
    });
  });

  app.command('/healthbot', async ({ command, ack, respond }) => {
    await ack();
    work(async () => {
      const actor = await identities.actor(command.user_id, command.user_name);
      // Echoed before the engine (which cleans every event) sees it: cleaned here as well.
      const question = cleanText(command.text).trim() || 'help';
      // Claimed before anything is posted: a replayed command (same trigger) must not echo again.
      let first: boolean;
      try {
        first = await engine.claim(`slack:cmd-echo:${command.trigger_id}`);
      } catch (err) {
        log('error', 'slack: could not record a slash command', {
          err: err instanceof Error ? err.message : String(err),
        });
        await respond({
          response_type: 'ephemeral',
          text: slackText(options.texts, actor.locale, 'failed', { reason: 'store' }),
        }).catch(() => {});
        return;
      }
      if (!first) return;
      // A slash command leaves no message behind; the echo gives the answer a thread to live in.
      let ts: string | undefined;
      try {
        const echo = await client.chat.postMessage({
          channel: command.channel_id,
          text: slackText(options.texts, actor.locale, 'askedBy', {
            who: escapeMrkdwn(actor.displayName),
            question: escapeMrkdwn(question),
          }),
          unfurl_links: false,
        });
        ts = echo.ts;
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error;
        const text =
          code === 'not_in_channel' || code === 'channel_not_found'
            ? slackText(options.texts, actor.locale, 'inviteFirst')
            : slackText(options.texts, actor.locale, 'failed', { reason: code ?? 'chat.postMessage' });
        await respond({ response_type: 'ephemeral', text }).catch(() => {});
        return;
      }
      if (!ts) return;
      const conversation = encodeThread({ team: command.team_id, channel: command.channel_id, threadTs: ts });
      await engine.handle({
        kind: 'message',
        eventId: `slack:cmd:${command.trigger_id}`,
        conversation,
        actor,
        text: question,
      });
    });
  });

  app.action({ type: 'block_actions', action_id: new RegExp(`^${ACTION_PREFIX}`) }, async ({ ack, body, action }) => {
    await ack();
    if (action.type !== 'button' || !body.channel?.id || !body.message) return;
    const message = body.message as { ts: string; thread_ts?: string };
    const team = body.team?.id ?? body.user.team_id ?? '';
    const conversation = encodeThread({ team, channel: body.channel.id, threadTs: message.thread_ts ?? message.ts });
    const user = body.user;
    work(
      async () =>
        engine.handle({
          kind: 'action',
          eventId: `slack:click:${message.ts}:${action.action_id}:${action.action_ts}:${user.id}`,
          conversation,
          actor: await identities.actor(user.id, user.name ?? user.username),
          actionId: action.value ?? '',
        }),
      true,
    );
  });

  app.error(async (err) => log('error', 'slack: unhandled error', { err: err.message }));

  // Everything accepted: the receiver's backlog (events acknowledged, not yet through Bolt), the
  // queued and running work, and the card updates that work left waiting. Each can add to the
  // one after it, and a listener can add to the queue again, so the loop runs until all are empty.
  const idle = async () => {
    for (;;) {
      await receiver?.drained();
      await queue.idle();
      await surface.flush();
      if ((receiver?.backlog ?? 0) === 0 && queue.queued === 0) return;
    }
  };

  return {
    name: 'slack',
    mode: socketMode ? 'socket' : 'http',
    description: `slack (${socketMode ? 'Socket Mode' : 'HTTP at /slack/events'})`,
    capabilities: surface.capabilities,
    surface,
    owns: (ref) => ref.startsWith(SLACK_PREFIX),
    ...(receiver ? { router: receiver.router, ownPaths: [SLACK_EVENTS_PATH] } : {}),
    async start(given) {
      bound.engine ??= given;
      if (socketMode) await app.start();
    },
    idle,
    ...(options.alertsChannel ? { postAlert: (card: Card) => sendAlert(options.alertsChannel!, card) } : {}),
    async close() {
      closed = true;
      await idle();
      if (socketMode) await app.stop();
    },
  };
}

/** Reads the bot's own ids, and on the way proves the token works: a clear error at start, not later. */
async function whoAmI(
  token: string,
  clientOptions: webApi.WebClientOptions,
): Promise<{ userId: string; botId: string }> {
  // A few quick tries, not the Web API's default half hour: a wrong token should stop the start.
  const client = new webApi.WebClient(token, {
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    ...clientOptions,
  });
  try {
    const r = await client.auth.test();
    if (!r.user_id || !r.bot_id)
      throw new Error('auth.test returned no bot user; SLACK_BOT_TOKEN must be a bot token (xoxb-...)');
    return { userId: r.user_id, botId: r.bot_id };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    throw new Error(
      `Slack did not accept SLACK_BOT_TOKEN${code ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}
