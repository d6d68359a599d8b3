/**
 * POST /api/alerts: alerts from monitoring systems (Alertmanager v4, our own JSON, the SCOM
 * command channel's script, exported event XML or e-mail text). The sender proves itself with a
 * bearer token or an HMAC signature; without either configured, everything is refused. The alert
 * is stored before the answer (202), and processed after it, so a slow diagnosis never delays an
 * acknowledgement and a restart loses nothing that was acknowledged.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { Request, Response, Router } from 'express';
import type { Clock, ServerInfo } from '../core/index.ts';
import type { AlertIntake } from '../core/alerts/index.ts';
import { parseAlertInput } from '../core/alerts/index.ts';
import type { AlertsConfig } from '../config.ts';

export const ALERTS_ROUTE = '/api/alerts';
/** A signature older (or newer) than this is refused: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export interface AlertsWebhookDeps {
  readonly config: Pick<AlertsConfig, 'token' | 'hmacSecret' | 'maxBytes'>;
  readonly intake: Pick<AlertIntake, 'accept'>;
  readonly clock: Clock;
  /** The inventory and catalogue names pasted text is matched against. */
  readonly vocabulary: () => Promise<{
    readonly servers: readonly ServerInfo[];
    readonly healthSets: readonly string[];
  }>;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: object) => void;
}

function same(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function signBody(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

type Verdict = { ok: true; how: 'bearer' | 'hmac' } | { ok: false; why: string };

function authenticate(req: Request, body: Buffer, deps: AlertsWebhookDeps): Verdict {
  const { token, hmacSecret } = deps.config;
  if (!token && !hmacSecret)
    return {
      ok: false,
      why: 'no credentials are configured for the alerts webhook (HEALTHBOT_ALERT_TOKEN or HEALTHBOT_ALERT_HMAC_SECRET)',
    };
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (token && same(bearer, token)) return { ok: true, how: 'bearer' };
  const signature = req.headers['x-healthbot-signature'];
  const timestamp = req.headers['x-healthbot-timestamp'];
  if (hmacSecret && typeof signature === 'string' && typeof timestamp === 'string') {
    const at = Number(timestamp) * 1000;
    if (!Number.isFinite(at) || Math.abs(deps.clock.now().getTime() - at) > SIGNATURE_TOLERANCE_MS)
      return { ok: false, why: 'the signature timestamp is missing or too far from now' };
    if (same(signature, signBody(hmacSecret, timestamp, body))) return { ok: true, how: 'hmac' };
    return { ok: false, why: 'the signature does not match' };
  }
  return { ok: false, why: bearer ? 'the token does not match' : 'no bearer token or signature' };
}

export function createAlertsWebhook(deps: AlertsWebhookDeps): Router {
  const router = express.Router();
  const refuse = (res: Response, status: number, error: string, message: string) =>
    void res.status(status).json({ error, message });

  router.post(
    ALERTS_ROUTE,
    // Said before the body is read: a sender that announces too much is refused without reading it.
    (req, res, next) => {
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > deps.config.maxBytes)
        return refuse(res, 413, 'too-large', `the body is larger than ${deps.config.maxBytes} bytes`);
      next();
    },
    express.raw({ type: () => true, limit: deps.config.maxBytes }),
    async (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verdict = authenticate(req, body, deps);
      if (!verdict.ok) {
        deps.log('warn', 'alerts webhook: refused a request', { why: verdict.why });
        return refuse(res, 401, 'unauthorised', 'a valid bearer token or signature is required');
      }
      const text = body.toString('utf8');
      let parsed;
      try {
        const vocabulary = await deps.vocabulary();
        parsed = parseAlertInput(
          text,
          { servers: vocabulary.servers, healthSets: vocabulary.healthSets },
          deps.clock.now(),
        );
      } catch (err) {
        deps.log('error', 'alerts webhook: the inventory could not be read', {
          err: err instanceof Error ? err.message : String(err),
        });
        return refuse(res, 503, 'unavailable', 'the alert could not be read now; send it again');
      }
      if (!parsed.ok) return refuse(res, 400, 'unparseable', parsed.reason);
      try {
        const stored = await deps.intake.accept(parsed.alerts);
        res.status(202).json({
          accepted: stored,
          alerts: parsed.alerts.map((a) => ({
            server: a.server,
            healthSet: a.healthSet,
            monitor: a.monitor ?? null,
            state: a.state,
          })),
        });
      } catch (err) {
        // Not stored, so not acknowledged: the sender keeps it and retries.
        deps.log('error', 'alerts webhook: the alert could not be stored', {
          err: err instanceof Error ? err.message : String(err),
        });
        refuse(res, 503, 'unavailable', 'the alert could not be stored; send it again');
      }
    },
  );
  return router;
}
