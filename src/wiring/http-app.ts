/**
 * The bot's one HTTP app, less the chat adapters: request metrics, /livez, /healthz and /metrics
 * first; after the adapters are mounted, `finishHttpApp` adds the answers for unknown routes and
 * for every error. No answer carries a stack trace, a file path or a library's HTML error page,
 * whatever NODE_ENV says.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express from 'express';
import type { ErrorRequestHandler, Express, Request } from 'express';
import type { ChatAdapter, ExchangeGateway, Store } from '../core/index.ts';
import type { Config } from '../config.ts';
import { isLoopbackHost } from '../config.ts';
import type { Metrics } from '../observability/metrics.ts';
import { WEB_API } from '../../adapters/web/index.ts';
import type { HostCheck } from './hosts.ts';

/**
 * Every value the `route` label of healthbot_http_requests_total can take. Anything else is
 * `other`: a label value per path would let anyone grow the metrics without bound.
 */
export const ROUTE_LABELS: readonly string[] = [
  '/',
  '/livez',
  '/healthz',
  '/metrics',
  '/slack/events',
  '/api/messages',
  '/api/alerts',
  `${WEB_API}/messages`,
  `${WEB_API}/actions`,
  `${WEB_API}/events`,
];
export const OTHER_ROUTE = 'other';

export function routeLabel(path: string): string {
  return ROUTE_LABELS.includes(path) ? path : OTHER_ROUTE;
}

export interface HttpAppOptions {
  readonly config: Pick<Config, 'host' | 'statusToken'>;
  readonly metrics: Pick<Metrics, 'httpRequests' | 'registry'>;
  readonly store: Pick<Store, 'health'>;
  readonly gateway: Pick<ExchangeGateway, 'health'>;
  readonly allowedHost: HostCheck;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createHttpApp(options: HttpAppOptions): Express {
  const { config, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    // `req.path` is read now: routers mounted on a prefix rewrite it while they run.
    const route = routeLabel(req.path);
    res.on('finish', () => metrics.httpRequests.inc({ route, status: String(res.statusCode) }));
    next();
  });

  // What /healthz may say beyond ready or not: where the data lives, which database as whom, which
  // lab scenario. Shown to a Bearer of HEALTHBOT_STATUS_TOKEN, or on a bot bound to loopback when
  // the request names an allowed host (so a rebinding page cannot read it from the local browser).
  const mayReadDetails = (req: Request): boolean => {
    const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '');
    if (config.statusToken && sameSecret(bearer, config.statusToken)) return true;
    return isLoopbackHost(config.host) && options.allowedHost(req.headers.host, req.socket.localPort);
  };

  app.get('/livez', (_req, res) => void res.json({ status: 'alive' }));
  app.get('/healthz', async (req, res) => {
    const [store, gateway] = await Promise.all([options.store.health(), options.gateway.health()]);
    const ready = store.ok && gateway.ok;
    const status = { status: ready ? 'ready' : 'not ready', live: true };
    if (!mayReadDetails(req))
      return void res
        .status(ready ? 200 : 503)
        .json({ ...status, store: { ok: store.ok }, gateway: { ok: gateway.ok } });
    res.status(ready ? 200 : 503).json({ ...status, store, gateway, uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app;
}

/** What body-parser's error types mean, in a word a client can act on. */
const BODY_ERRORS: Readonly<Record<string, { status: number; error: string; message: string }>> = {
  'entity.parse.failed': { status: 400, error: 'invalid-json', message: 'the body is not valid JSON' },
  'entity.too.large': { status: 413, error: 'too-large', message: 'the body is too large' },
  'charset.unsupported': { status: 415, error: 'unsupported-charset', message: 'unsupported charset' },
  'encoding.unsupported': { status: 415, error: 'unsupported-encoding', message: 'unsupported content encoding' },
  'request.aborted': { status: 400, error: 'aborted', message: 'the request was aborted' },
  'request.size.invalid': { status: 400, error: 'bad-length', message: 'the body does not match its length' },
  'stream.encoding.set': { status: 500, error: 'internal-error', message: 'internal error' },
};

/**
 * The last handlers: 404 for unknown routes, and one error handler that answers in short JSON
 * and logs server errors (their details go to the log, never to the client).
 */
export function finishHttpApp(app: Express, log: (message: string, fields: object) => void): void {
  app.use((_req, res) => void res.status(404).json({ error: 'not-found', message: 'no such route' }));
  const errors: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const e = (err ?? {}) as {
      type?: unknown;
      status?: unknown;
      statusCode?: unknown;
      message?: unknown;
      name?: unknown;
    };
    const known = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
    const declared = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
    // A client error keeps its status (a corrupt gzip body is a 400); anything else is ours: 500.
    const status = known?.status ?? (declared >= 400 && declared < 500 ? declared : 500);
    const body =
      known ??
      (status < 500
        ? { error: 'bad-request', message: 'bad request' }
        : { error: 'internal-error', message: 'internal error' });
    if (status >= 500)
      log('a request failed', {
        route: routeLabel(req.path),
        err: { name: String(e.name ?? ''), message: String(e.message ?? err) },
      });
    if (res.headersSent) return void res.destroy();
    res.status(status).json({ error: body.error, message: body.message });
  };
  app.use(errors);
}

type DirectHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * What the bot's HTTP server runs for each request: the POST paths an adapter answers in full by
 * itself (`ownPaths`: Slack's /slack/events) go to its router directly, everything else to the
 * app. Express's routing and request set-up cost about a fifth of a Slack acknowledgement
 * (measured in bench/slack.ts's burst); those requests need none of it. They are counted in
 * healthbot_http_requests_total like every other request.
 */
export function httpRequestListener(
  app: Express,
  adapters: readonly ChatAdapter[],
  metrics?: Pick<Metrics, 'httpRequests'>,
): RequestListener {
  const direct = new Map<string, DirectHandler>();
  for (const adapter of adapters)
    if (adapter.router) for (const path of adapter.ownPaths ?? []) direct.set(path, adapter.router as DirectHandler);
  if (direct.size === 0) return app;
  return (req, res) => {
    const path = req.method === 'POST' ? (req.url ?? '').split('?')[0]! : '';
    const handler = direct.get(path);
    if (!handler) return void app(req, res);
    if (metrics)
      res.on('finish', () => metrics.httpRequests.inc({ route: routeLabel(path), status: String(res.statusCode) }));
    // A router that passes a request on (it never does for its own paths) leaves it to the app.
    handler(req, res, () => void app(req, res));
  };
}
