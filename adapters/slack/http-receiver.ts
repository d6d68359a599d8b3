/**
 * HTTP mode's front door at /slack/events: check Slack's signature, answer 200 at once, and only
 * then hand the request to Bolt. Bolt's own receivers acknowledge from inside its middleware
 * chain, so under a burst every acknowledgement waited for the requests ahead of it to pass
 * through Bolt; here the 200 goes out as soon as the signature is good, and Bolt sees the
 * request after the requests that arrived meanwhile have been answered. Every signed request tells the
 * process's requests-first gate that it arrived: while a burst is being read, no event goes
 * through Bolt (nor does any other deferrable work start) until the requests pause.
 *
 * The events answered and not yet through Bolt are bounded: beyond `maxBacklog` a request is
 * refused with 503 before it is acknowledged, and Slack delivers it again later (with the same
 * `event_id`, which the engine claims once).
 *
 * The signature: HMAC-SHA256 with the signing secret over `v0:<timestamp>:<raw body>`, compared
 * in constant time; requests more than five minutes from now (either way) are refused as replays.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { NextTurn } from '../../src/core/index.ts';
import { requestsFirst } from '../../src/core/index.ts';
import { BodyTooLargeError, readRawBody } from '../shared/index.ts';

const MAX_SKEW_S = 5 * 60;

export function validSignature(
  secret: string,
  rawBody: string,
  timestamp: string | undefined,
  signature: string | undefined,
  nowS: number,
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !signature.startsWith('v0=')) return false;
  if (Math.abs(nowS - Number(timestamp)) > MAX_SKEW_S) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * JSON for events; form fields for slash commands; a JSON `payload` field for interactivity.
 * Undefined when the body is none of these: a signature proves who sent a body, not that it is an
 * object (`null`, `[]` or `payload=7` are signed as easily as an event).
 */
export function parseBody(raw: string, contentType: string): Record<string, unknown> | undefined {
  try {
    if (contentType.startsWith('application/json')) {
      const parsed: unknown = JSON.parse(raw);
      return isRecord(parsed) ? parsed : undefined;
    }
    const fields = Object.fromEntries(new URLSearchParams(raw));
    if (typeof fields.payload !== 'string') return fields;
    const payload: unknown = JSON.parse(fields.payload);
    return isRecord(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** A plain Node handler, mountable with `app.use(...)`: express adds nothing this route needs. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

export interface AckFirstReceiver extends Receiver {
  readonly router: NodeHandler;
  /** Events acknowledged and not yet through Bolt. */
  readonly backlog: number;
  /** Resolves when the backlog is empty. */
  drained(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** Where Slack sends events, commands and clicks in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';
/** About 2 MB of parsed events at most; Slack's own limit is 30,000 events an hour per workspace. */
export const MAX_BACKLOG = 1_000;

/** Where requests report their arrival and deferrable work asks for its turn. */
export interface RequestGate {
  arrived(): void;
  readonly nextTurn: NextTurn;
}

export function createAckFirstReceiver(options: {
  signingSecret: string;
  log: (level: 'warn' | 'error', msg: string, fields?: object) => void;
  now?: () => number;
  /** False while the adapter is not started or closed: requests are then refused with 503. */
  accepting?: () => boolean;
  /** How many more events the work behind Bolt can take: past it, refused with 503 like a full backlog. */
  room?: () => number;
  /** Events answered and not yet through Bolt; more are refused with 503. */
  maxBacklog?: number;
  gate?: RequestGate;
}): AckFirstReceiver {
  const gate = options.gate ?? requestsFirst;
  const maxBacklog = options.maxBacklog ?? MAX_BACKLOG;
  let bolt: App | undefined;
  const answer = (res: ServerResponse, status: number, body = '', type = 'text/plain') => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  // One event through Bolt per turn of the event loop, and none while requests are arriving:
  // between two, Node reads (and this handler acknowledges) whatever requests arrived meanwhile.
  const backlog: ReceiverEvent[] = [];
  const drainWaiters: (() => void)[] = [];
  const drain = () => {
    const event = backlog[0];
    if (!event) return;
    void (bolt ? bolt.processEvent(event) : Promise.resolve())
      .catch((err: unknown) => options.log('error', 'slack: processing an event failed', { err: String(err) }))
      .finally(() => {
        backlog.shift();
        if (backlog.length > 0) gate.nextTurn(drain);
        else for (const done of drainWaiters.splice(0)) done();
      });
  };

  const received = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const nowS = Math.floor((options.now?.() ?? Date.now()) / 1000);
    if (
      !validSignature(
        options.signingSecret,
        raw,
        header('x-slack-request-timestamp'),
        header('x-slack-signature'),
        nowS,
      )
    ) {
      options.log('warn', 'slack: refused a request without a valid signature', { ip: req.socket.remoteAddress });
      return answer(res, 401);
    }
    // Only a request Slack signed holds work back: a flood of forged ones must not stall the bot.
    gate.arrived();
    const body = parseBody(raw, header('content-type') ?? '');
    if (!body) return answer(res, 400);
    if (body.ssl_check === '1') return answer(res, 200);
    if (body.type === 'url_verification')
      return answer(res, 200, JSON.stringify({ challenge: body.challenge }), 'application/json');
    // Refused before the 200: an event acknowledged must be handled, so one that could not be
    // kept is left for Slack to deliver again.
    if (backlog.length >= Math.min(maxBacklog, options.room?.() ?? maxBacklog)) {
      options.log('warn', 'slack: too many events waiting; refused one for Slack to retry', {
        backlog: backlog.length,
      });
      return answer(res, 503);
    }
    answer(res, 200);
    const retryNum = Number(header('x-slack-retry-num'));
    const retryReason = header('x-slack-retry-reason');
    backlog.push({
      body,
      ack: async () => {}, // already answered
      ...(Number.isFinite(retryNum) && retryNum > 0 ? { retryNum } : {}),
      ...(retryReason ? { retryReason } : {}),
    });
    if (backlog.length === 1) gate.nextTurn(drain);
  };

  const router: NodeHandler = (req, res, next) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== SLACK_EVENTS_PATH)
      return next ? next() : answer(res, 404);
    // Slack retries a 503 later, which is right for a bot that is stopping or not yet started.
    if (options.accepting && !options.accepting()) return answer(res, 503);
    readRawBody(req, MAX_BODY).then(
      (raw) => {
        // A throw here would be an unhandled rejection: one odd request must cost at most itself.
        try {
          received(req, res, raw.toString('utf8'));
        } catch (err) {
          options.log('error', 'slack: a request failed', { err: err instanceof Error ? err.message : String(err) });
          if (!res.headersSent) answer(res, 500);
        }
      },
      (err: unknown) => {
        if (!res.headersSent) answer(res, err instanceof BodyTooLargeError ? 413 : 400);
      },
    );
  };

  return {
    router,
    get backlog() {
      return backlog.length;
    },
    drained: () =>
      backlog.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => drainWaiters.push(resolve)),
    init(app) {
      bolt = app;
    },
    start: async () => undefined,
    stop: async () => undefined,
  };
}
