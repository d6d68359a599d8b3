/**
 * The HTTP endpoint Teams posts to (`POST /api/messages`), as a plain Node request handler that an
 * express app mounts with `app.use(handler)` (adapters import only their SDK, so no express here).
 *
 * This handler owns `POST /api/messages`: a body that is not JSON or not a Bot Framework activity
 * (no `type`, `channelId` and `serviceUrl`) is refused here, never passed on. Passing it on once
 * let a post without a `channelId` reach the web chat and act as a persona; the web chat's API now
 * lives at /chat/..., and nothing else may answer on Teams' path. Other paths and methods are
 * passed on with `next()`.
 *
 * Authentication is the SDK's (cloud-adapter.ts): the Bot Framework JWT is validated (issuer,
 * signature, audience = our app id, the `serviceurl` claim) and anything else is 401. Before that
 * we only refuse what no genuine request carries: a body that is too large or not JSON, and a service
 * URL that is not https (which, without a token to vouch for it in insecure dev mode, would let
 * anyone point the bot's outgoing calls elsewhere).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity, TurnContext } from 'botbuilder';
import type { HealthbotCloudAdapter } from './cloud-adapter.ts';
import { isAllowedServiceUrl, isConnectorServiceUrl } from './connector.ts';
import { looksLikeActivity } from './inbound.ts';
import type { Log } from './surface.ts';
import { BodyTooLargeError, readRawBody } from '../shared/index.ts';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

export interface HttpOptions {
  readonly adapter: HealthbotCloudAdapter;
  readonly logic: (context: TurnContext) => Promise<void>;
  readonly path: string;
  readonly maxBodyBytes: number;
  readonly log: Log;
  readonly closed: () => boolean;
  /** No app id: requests carry no token, so the service URL is limited to the Bot Connector's hosts. */
  readonly unauthenticated: boolean;
  readonly track: (work: Promise<unknown>) => void;
}

function reply(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(message);
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.statusCode = status;
  if (body === undefined || body === null) return void res.end();
  if (typeof body === 'string') return reply(res, status, body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

export function createHttpHandler(options: HttpOptions): NodeHandler {
  const pass = (res: ServerResponse, next: ((err?: unknown) => void) | undefined) =>
    next ? next() : reply(res, 404, 'not found');

  const handle = async (
    req: IncomingMessage & { body?: unknown },
    res: ServerResponse,
    next?: (err?: unknown) => void,
  ): Promise<void> => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== options.path) return pass(res, next);
    let body = req.body;
    if (body === undefined) {
      const type = String(req.headers['content-type'] ?? '');
      if (!/^application\/(.+\+)?json\b/i.test(type))
        return reply(res, 415, 'send a Bot Framework activity as application/json');
      try {
        const raw = await readRawBody(req, options.maxBodyBytes);
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch (err) {
        return reply(
          res,
          err instanceof BodyTooLargeError ? err.status : 400,
          err instanceof BodyTooLargeError ? 'request body too large' : 'body is not valid JSON',
        );
      }
      req.body = body;
    }
    if (!looksLikeActivity(body)) return reply(res, 400, 'not a Bot Framework activity');
    if (options.closed()) return reply(res, 503, 'shutting down');
    const serviceUrl = (body as { serviceUrl: unknown }).serviceUrl;
    if (!isAllowedServiceUrl(serviceUrl)) return reply(res, 400, 'serviceUrl must be an https URL');
    if (options.unauthenticated && !isConnectorServiceUrl(serviceUrl))
      return reply(res, 400, 'serviceUrl is not a Bot Connector host');
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    try {
      const result = await options.adapter.authenticateAndRun(authorization, body as Activity, options.logic);
      if (result.status === 401) options.log('warn', 'Teams: refused a request without a valid Bot Framework token');
      answer(res, result.status, result.body);
    } catch (err) {
      options.log('error', 'Teams: processing a request failed', {
        err: err instanceof Error ? err.message : String(err),
      });
      reply(res, 500, 'internal error');
    }
  };

  return (req, res, next) => {
    // Whatever escapes `handle` costs this request a 500, never the process an unhandled rejection.
    const work = handle(req, res, next).catch((err: unknown) => {
      options.log('error', 'Teams: a request failed', { err: err instanceof Error ? err.message : String(err) });
      reply(res, 500, 'internal error');
    });
    options.track(work);
  };
}
