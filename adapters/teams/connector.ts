/**
 * The calls the bot makes to the Bot Connector service of a conversation (its `serviceUrl`):
 * post, update in place, look up a member, open a personal chat. One client per service URL,
 * obtained through the SDK's documented proactive path (`continueConversationAsync`), so tokens
 * and signing are the SDK's business. These calls run outside any inbound turn: the engine answers
 * after the platform was acknowledged, when the turn's own context is gone.
 *
 * The SDK's HTTP pipeline carries a retry policy of its own (three retries, real sleeps, on 429
 * only with Retry-After and never on 412); it is removed so that retry.ts, with the injected
 * clock, is the one place that decides.
 */
import type { CloudAdapter, ConversationParameters, TeamsChannelAccount } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { KEPT_CLIENTS, KeptPromises } from './kept-promises.ts';

export interface Member {
  readonly id: string;
  readonly name?: string;
  readonly aadObjectId?: string;
  readonly userPrincipalName?: string;
  readonly email?: string;
}

export interface MessageBody {
  readonly type: 'message';
  readonly [key: string]: unknown;
}

/** What the adapter needs from the Bot Connector; tests and benches can substitute it. */
export interface Connector {
  send(serviceUrl: string, conversationId: string, activity: MessageBody): Promise<string>;
  update(serviceUrl: string, conversationId: string, activityId: string, activity: MessageBody): Promise<void>;
  member(serviceUrl: string, conversationId: string, userId: string): Promise<Member>;
  /** Opens (or finds) the personal chat between the bot and a user; returns its conversation id. */
  openPersonalChat(serviceUrl: string, input: { botId: string; userId: string; tenantId?: string }): Promise<string>;
}

/**
 * Hosts of the Bot Connector service: Teams commercial (smba.trafficmanager.net), government clouds
 * (…teams.microsoft.com, …teams.microsoft.us) and the Bot Framework's own channels.
 */
const CONNECTOR_HOSTS =
  /(^|\.)(trafficmanager\.net|botframework\.com|teams\.microsoft\.com|teams\.microsoft\.us|botframework\.azure\.us)$/i;

/**
 * Where the bot will send for an unauthenticated request (insecure dev mode): only the Bot
 * Connector's own hosts or a local emulator. With authentication on, the token's `serviceurl`
 * claim vouches for the URL instead.
 */
export function isConnectorServiceUrl(value: unknown): boolean {
  if (!isAllowedServiceUrl(value)) return false;
  const url = new URL(value);
  return url.protocol === 'http:' || CONNECTOR_HOSTS.test(url.hostname);
}

/** Bot Framework service URLs are https; plain http only for a local emulator on loopback. */
export function isAllowedServiceUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 300) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

type PipelineHolder = { client?: { pipeline?: { removePolicy?: (selector: { name: string }) => unknown } } };

function withoutSdkRetries(client: ConnectorClient): ConnectorClient {
  (client as unknown as PipelineHolder).client?.pipeline?.removePolicy?.({ name: 'defaultRetryPolicy' });
  return client;
}

export function createBotConnector(adapter: CloudAdapter, appId: string): Connector {
  const clients = new KeptPromises<ConnectorClient>(KEPT_CLIENTS);

  const clientFor = (serviceUrl: string): Promise<ConnectorClient> => {
    if (!isAllowedServiceUrl(serviceUrl))
      return Promise.reject(new Error(`refusing to call service URL ${String(serviceUrl).slice(0, 80)}`));
    // A failure to build the client (token endpoint down) does not stick: the next call tries again.
    return clients.get(
      serviceUrl,
      () =>
        new Promise<ConnectorClient>((resolve, reject) => {
          const reference = {
            channelId: 'msteams',
            serviceUrl,
            conversation: { id: 'healthbot:connector', isGroup: false, conversationType: '', name: '' },
            bot: { id: appId, name: '' },
          };
          adapter
            .continueConversationAsync(appId, reference as never, async (context) => {
              const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
              if (!client) throw new Error('the Bot Framework SDK gave no connector client');
              resolve(withoutSdkRetries(client));
            })
            .catch(reject);
        }),
    );
  };

  return {
    async send(serviceUrl, conversationId, activity) {
      const client = await clientFor(serviceUrl);
      const res = await client.conversations.sendToConversation(conversationId, activity as never);
      if (!res?.id) throw new Error('Teams accepted the message but returned no id');
      return res.id;
    },
    async update(serviceUrl, conversationId, activityId, activity) {
      const client = await clientFor(serviceUrl);
      await client.conversations.updateActivity(conversationId, activityId, { ...activity, id: activityId } as never);
    },
    async member(serviceUrl, conversationId, userId) {
      const client = await clientFor(serviceUrl);
      const m = (await client.conversations.getConversationMember(conversationId, userId)) as TeamsChannelAccount;
      return {
        id: m.id,
        ...(m.name ? { name: m.name } : {}),
        ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}),
        ...(m.userPrincipalName ? { userPrincipalName: m.userPrincipalName } : {}),
        ...(m.email ? { email: m.email } : {}),
      };
    },
    async openPersonalChat(serviceUrl, input) {
      const client = await clientFor(serviceUrl);
      const params: ConversationParameters = {
        isGroup: false,
        bot: { id: input.botId, name: '' },
        members: [{ id: input.userId, name: '' }],
        ...(input.tenantId ? { tenantId: input.tenantId } : {}),
        channelData: input.tenantId ? { tenant: { id: input.tenantId } } : {},
      };
      const res = await client.conversations.createConversation(params);
      if (!res?.id) throw new Error('Teams opened no personal chat');
      return res.id;
    },
  };
}
