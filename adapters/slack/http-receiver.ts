/**
 * HTTP mode's front door at /slack/events: check Slack's signature, answer 200 at once, and only
 * then hand the request to Bolt. Bolt's own receivers acknowledge from inside its middleware
 * chain, so under a burst every acknowledgement waited for the requests ahead of it to pass
 * through Bolt; here the 200 goes out as soon as the signature is good, and Bolt sees the
 * request after the requests that arrived meanwhile have been answered.
 *
 * The signature: HMAC-SHA256 with the signing secret over `v0:<timestamp>:<raw body>`, compared
 * in constant time; requests more than five minutes from now (either way) are refused as replays.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { Router } from 'express';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';

const MAX_SKEW_S = 5 * 60;

export function validSignature(secret: string, rawBody: string, timestamp: string | undefined, signature: string | undefined, nowS: number): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !signature.startsWith('v0=')) return false;
  if (Math.abs(nowS - Number(timestamp)) > MAX_SKEW_S) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** JSON for events; form fields for slash commands; a JSON `payload` field for interactivity. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const fields = Object.fromEntries(new URLSearchParams(raw));
  return typeof fields.payload === 'string' ? (JSON.parse(fields.payload) as Record<string, unknown>) : fields;
}

export interface AckFirstReceiver extends Receiver {
  readonly router: Router;
}

export function createAckFirstReceiver(options: {
  signingSecret: string;
  log: (level: 'warn' | 'error', msg: string, fields?: object) => void;
  now?: () => number;
}): AckFirstReceiver {
  let bolt: App | undefined;
  const router = express.Router();
  router.post('/slack/events', express.text({ type: () => true, limit: '1mb' }), (req, res) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    const nowS = Math.floor((options.now?.() ?? Date.now()) / 1000);
    if (!validSignature(options.signingSecret, raw, req.header('x-slack-request-timestamp'), req.header('x-slack-signature'), nowS)) {
      options.log('warn', 'slack: refused a request without a valid signature', { ip: req.ip });
      return void res.status(401).send();
    }
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, req.header('content-type') ?? '');
    } catch {
      return void res.status(400).send();
    }
    if (body.ssl_check === '1') return void res.status(200).send();
    if (body.type === 'url_verification') return void res.json({ challenge: body.challenge });
    res.status(200).send();
    const retryNum = Number(req.header('x-slack-retry-num'));
    const event: ReceiverEvent = {
      body,
      ack: async () => {}, // already answered
      ...(Number.isFinite(retryNum) && retryNum > 0 ? { retryNum } : {}),
      ...(req.header('x-slack-retry-reason') ? { retryReason: req.header('x-slack-retry-reason')! } : {}),
    };
    backlog.push(event);
    if (backlog.length === 1) setImmediate(drain);
  });

  // One event through Bolt per turn of the event loop: between two, Node reads (and this handler
  // acknowledges) whatever requests arrived meanwhile, so a burst's last 200 waits on I/O only.
  const backlog: ReceiverEvent[] = [];
  const drain = () => {
    const event = backlog[0];
    if (!event) return;
    void (bolt ? bolt.processEvent(event) : Promise.resolve())
      .catch((err: unknown) => options.log('error', 'slack: processing an event failed', { err: String(err) }))
      .finally(() => {
        backlog.shift();
        if (backlog.length > 0) setImmediate(drain);
      });
  };
  return {
    router,
    init(app) {
      bolt = app;
    },
    start: async () => undefined,
    stop: async () => undefined,
  };
}
