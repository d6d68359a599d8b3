/**
 * The SDK's CloudAdapter with one difference in how a request is answered: every token that does
 * not validate gets 401.
 *
 * CloudAdapter.process answers 401 only for the SDK's own AuthenticationError. A token with a
 * bad signature, a wrong issuer or a malformed body fails inside the JWT library instead, and
 * process() answers 500: the request is still refused, but monitoring sees a server fault and
 * Teams retries. Here authentication runs first, through the same BotFrameworkAuthentication, and
 * the authenticated request then takes the SDK's own path (processActivity) unchanged.
 */
import { CloudAdapter } from 'botbuilder';
import type { Activity, TurnContext } from 'botbuilder';

export interface TurnAnswer {
  readonly status: number;
  readonly body?: unknown;
}

const JWT_FAILURES = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/** 401 for anything wrong with the token; 5xx only when the SDK says its own side failed (keys unavailable). */
export function statusForAuthFailure(err: unknown): number {
  const e = err as { name?: unknown; statusCode?: unknown } | undefined;
  if (typeof e?.name === 'string' && JWT_FAILURES.has(e.name)) return 401;
  if (typeof e?.statusCode === 'number' && e.statusCode >= 500 && e.statusCode < 600) return 503;
  return 401;
}

export class HealthbotCloudAdapter extends CloudAdapter {
  /** Authenticates the request, then runs `logic` for it; the answer is the invoke response, if any. */
  async authenticateAndRun(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<TurnAnswer> {
    let authenticated: Awaited<ReturnType<typeof this.botFrameworkAuthentication.authenticateRequest>>;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (err) {
      return { status: statusForAuthFailure(err), body: 'Unauthorized' };
    }
    const result = await this.processActivity(authenticated, activity, logic);
    return { status: result?.status ?? 200, ...(result?.body !== undefined ? { body: result.body } : {}) };
  }
}
