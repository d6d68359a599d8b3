/**
 * Microsoft Teams, through the Bot Framework SDK (botbuilder 4.23). The SDK is archived upstream;
 * it is imported in this folder only, so replacing it (Microsoft 365 Agents SDK, Teams SDK) stays
 * a change here.
 *
 * Entry points for the composition root:
 * - `createTeamsAdapter(...)` → `{ surface, owns, router, ownPaths, postAlert, close, idle }`; the
 *   bot's HTTP server hands `POST /api/messages` (its one own path) straight to `router`.
 * - `writeTeamsPackage(...)` → the app package to upload to Teams (`healthbot teams manifest`).
 */
import { HealthbotCloudAdapter } from './cloud-adapter.ts';
import type { Actor, Card, ChatAdapter, ChatEngine, Clock, Store } from '../../src/core/index.ts';
import { ConfigError } from '../../src/core/index.ts';
import { Alerts } from './alerts.ts';
import type { SentAlert } from './alerts.ts';
import type { Connector } from './connector.ts';
import { createBotConnector } from './connector.ts';
import { ownsRef } from './conversation-ref.ts';
import { ConversationDirectory } from './directory.ts';
import type { NodeHandler } from './http.ts';
import { createHttpHandler } from './http.ts';
import { Identities } from './identity.ts';
import { Outbox } from './outbox.ts';
import type { RateLimit } from './outbox.ts';
import type { Log, TeamsSurface } from './surface.ts';
import { createTeamsSurface } from './surface.ts';
import type { TeamsTexts } from './texts.ts';
import { createTurnLogic } from './turn.ts';
import { ClientReusingAuthentication } from './reused-clients.ts';
import { WorkQueue } from '../../src/core/index.ts';

export { writeTeamsPackage } from './manifest.ts';
export type { TeamsPackageOptions } from './manifest.ts';
export { NoAlertChannelError } from './alerts.ts';
export type { SentAlert } from './alerts.ts';
export type { NodeHandler } from './http.ts';

export interface TeamsConfig {
  /** MICROSOFT_APP_ID: the Entra app (bot) id. Empty only in insecure dev mode. */
  readonly appId: string;
  /** MICROSOFT_APP_PASSWORD: the app's client secret (not needed for UserAssignedMSI). */
  readonly appPassword?: string;
  /** MICROSOFT_APP_TYPE: MultiTenant, SingleTenant or UserAssignedMSI. */
  readonly appType?: string;
  /** MICROSOFT_APP_TENANT_ID: required for SingleTenant and UserAssignedMSI. */
  readonly tenantId?: string;
  /** HEALTHBOT_TEAMS_INSECURE_DEV: run without an app id, i.e. without authentication. */
  readonly insecureDev: boolean;
}

export interface TeamsAdapterOptions {
  /** The engine to hand events to; otherwise the one given to `start`. */
  readonly engine?: ChatEngine;
  readonly store: Store;
  readonly config: TeamsConfig;
  readonly log: Log;
  readonly clock: Clock;
  /** The adapter's texts per language (`locales/<lng>/teams.json`). */
  readonly texts: TeamsTexts;
  /** Who may say "alerts here"; everyone who can talk to the bot when not given. */
  readonly canSetAlerts?: (actor: Actor) => boolean;
  /** Milliseconds a click waits for the engine before Teams is answered "working" (default 2500). */
  readonly invokeBudgetMs?: number;
  /** Route path (default `/api/messages`). */
  readonly path?: string;
  /** Replaces the Bot Connector (benches, tests that do not go through HTTP mocks). */
  readonly connector?: Connector;
  /** Overrides Teams' per-thread send limits (tests). */
  readonly limits?: readonly RateLimit[];
  /** Events handled at once after acknowledgement (default 16); more wait their turn, clicks first. */
  readonly concurrency?: number;
  /** Retry tuning (tests): jitter source and first back-off step. */
  readonly retry?: { readonly random?: () => number; readonly baseDelayMs?: number; readonly attempts?: number };
}

export interface TeamsAdapter extends ChatAdapter {
  readonly surface: TeamsSurface;
  /** Handles POST /api/messages; passes every other request on (`next`). */
  readonly router: NodeHandler;
  /** Posts a card to the alerts conversation (a new thread in a channel). */
  postAlert(card: Card): Promise<SentAlert>;
}

const MAX_BODY = 256 * 1024;

export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { config, log, clock, store } = options;
  if (!config.appId && !config.insecureDev) {
    // botbuilder treats an empty app id as "authentication disabled": it would accept any request.
    throw new ConfigError([
      'MICROSOFT_APP_ID is required for Teams (or set HEALTHBOT_TEAMS_INSECURE_DEV=1 for a local test without authentication)',
    ]);
  }
  if (!config.appId) {
    log(
      'warn',
      'Teams runs WITHOUT authentication (HEALTHBOT_TEAMS_INSECURE_DEV): anyone who reaches /api/messages can act as anyone. Never expose this.',
    );
  }

  const auth = new ClientReusingAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword ?? '',
    MicrosoftAppType: config.appType ?? 'MultiTenant',
    MicrosoftAppTenantId: config.tenantId ?? '',
  });
  const adapter = new HealthbotCloudAdapter(auth);
  adapter.onTurnError = async (_context, err) =>
    log('error', 'Teams: unhandled error in a turn', { err: err instanceof Error ? err.message : String(err) });

  const connector = options.connector ?? createBotConnector(adapter, config.appId);
  const outbox = new Outbox({
    clock,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const directory = new ConversationDirectory(store);
  const identities = new Identities({ connector, clock, log });
  const surface = createTeamsSurface({ connector, outbox, directory, identities, clock, log });
  const alerts = new Alerts(store, surface, directory, clock);

  const work = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    work.add(p);
    void p.finally(() => work.delete(p)).catch(() => undefined);
  };
  // Not started yet counts as closed: requests are answered 503 until the engine is there.
  const bound: { engine?: ChatEngine } = options.engine ? { engine: options.engine } : {};
  let closed = false;
  const engine: ChatEngine = {
    handle: (event, reply) => (bound.engine ? bound.engine.handle(event, reply) : Promise.resolve()),
    // Nothing is done before start, so nothing is claimed then either.
    claim: (eventId) => (bound.engine ? bound.engine.claim(eventId) : Promise.resolve(false)),
  };

  const logic = createTurnLogic({
    engine,
    surface,
    directory,
    identities,
    alerts,
    log,
    texts: options.texts,
    invokeBudgetMs: options.invokeBudgetMs ?? 2_500,
    ...(options.canSetAlerts ? { canSetAlerts: options.canSetAlerts } : {}),
    track,
    queue: new WorkQueue(options.concurrency ?? 16),
  });
  const path = options.path ?? '/api/messages';
  const router = createHttpHandler({
    adapter,
    logic,
    path,
    maxBodyBytes: MAX_BODY,
    log,
    closed: () => closed || !bound.engine,
    track,
    unauthenticated: !config.appId,
  });

  const idle = async () => {
    while (work.size > 0) await Promise.allSettled([...work]);
    await outbox.drain();
  };

  return {
    name: 'teams',
    description: config.appId ? 'teams (/api/messages)' : 'teams (/api/messages, INSECURE dev mode: no authentication)',
    capabilities: surface.capabilities,
    surface,
    owns: ownsRef,
    router,
    // Nothing else answers Teams' path: the bot's server hands its requests straight to `router`.
    ownPaths: [path],
    postAlert: (card) => alerts.send(card),
    async start(given) {
      bound.engine ??= given;
    },
    idle,
    async close() {
      closed = true;
      await idle();
    },
  };
}
