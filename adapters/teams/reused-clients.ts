/**
 * The SDK's authentication, with the clients it makes for each inbound activity reused.
 *
 * For every activity, CloudAdapterBase.processActivity asks for a ConnectorClient (from the
 * connector factory that authentication returns) and a UserTokenClient, each a new object with
 * its own HTTP pipeline of a dozen policies, whether the turn uses them or not. Measured in the
 * Teams burst of bench/lighter.ts, making them was about a fifth of the CPU of acknowledging a
 * message, and much of its garbage. What each is made from does not change between requests: the
 * bot's app id (a claim of the token), the audience, the service URL and this configuration. So
 * each is made once per such key and kept; a client keeps the token it fetched, as the one that
 * connector.ts keeps per service URL for the bot's own calls does.
 *
 * The kept clients are bounded (least recently used goes first): service URLs are a handful per
 * cloud region, but without authentication (insecure dev mode) a request chooses its own.
 */
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Activity } from 'botbuilder';
import type {
  AuthenticateRequestResult,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  UserTokenClient,
} from 'botframework-connector';
import { KEPT_CLIENTS, KeptPromises } from './kept-promises.ts';

/**
 * The app id the SDK makes clients for: the token's audience, or its appid claim (emulator). The
 * claim names are the SDK's AuthenticationConstants, which botbuilder does not re-export.
 */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue('aud') ?? identity.getClaimValue('appid') ?? '';
}

export class ClientReusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new KeptPromises<ConnectorClient>(KEPT_CLIENTS);
  private readonly userTokens = new KeptPromises<UserTokenClient>(KEPT_CLIENTS);

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: this.reusing(result.connectorFactory, appIdOf(result.claimsIdentity)) };
  }

  override createUserTokenClient(identity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokens.get(appIdOf(identity), () => super.createUserTokenClient(identity));
  }

  private reusing(factory: ConnectorFactory, appId: string): ConnectorFactory {
    return {
      create: (serviceUrl: string, audience?: string) =>
        this.connectors.get(JSON.stringify([appId, serviceUrl, audience ?? null]), () =>
          factory.create(serviceUrl, audience),
        ),
    };
  }
}
