/**
 * Who clicked or wrote, as the engine's Actor.
 *
 * - `userId` is the Entra (AAD) object id: stable, the same in every team and chat, and what a
 *   policy names with `platform: teams`. Only when Teams sends none (not seen for real users) does
 *   the conversation-scoped `29:` id stand in.
 * - `directoryId` is the user principal name (or e-mail) from the Bot Connector's member lookup
 *   (the call TeamsInfo.getMember makes: the team's roster in a channel, the chat's otherwise). The
 *   two-person rule compares it, and policies usually name people by it.
 * - `locale` is the activity's own (`de-DE`).
 *
 * Lookups are cached for a while (people rarely change their UPN mid-incident) and run once per
 * person at a time. A failed lookup is not fatal: the person acts with the object id alone, which
 * still tells two people apart, and the failure is remembered briefly so a broken roster call is
 * not hammered.
 */
import type { Actor, Clock } from '../../src/core/index.ts';
import { cleanText } from '../../src/core/index.ts';
import type { Connector, Member } from './connector.ts';
import type { ConversationPlace } from './directory.ts';
import { baseConversationId } from './conversation-ref.ts';
import { withRetry } from './retry.ts';

export interface ActivitySender {
  readonly from: { readonly id: string; readonly name?: string; readonly aadObjectId?: string };
  readonly conversation: { readonly id: string; readonly tenantId?: string };
  readonly locale?: string;
}

interface Cached {
  readonly member?: Member;
  readonly until: number;
}

export interface IdentityOptions {
  readonly connector: Connector;
  readonly clock: Clock;
  readonly ttlMs?: number;
  readonly failureTtlMs?: number;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: object) => void;
}

/** The id the engine sees for a Teams user; notify() finds pending clicks by it too. */
export function userIdOf(from: ActivitySender['from']): string {
  return from.aadObjectId || from.id;
}

export class Identities {
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<Member | undefined>>();
  /** Object id → the user's `29:` id and tenant, for opening a personal chat later. */
  private readonly accounts = new Map<string, { readonly mri: string; readonly tenantId?: string }>();

  constructor(private readonly options: IdentityOptions) {}

  async actorFor(activity: ActivitySender, place: ConversationPlace): Promise<Actor> {
    const { from } = activity;
    const userId = userIdOf(from);
    const tenantId = activity.conversation.tenantId ?? place.tenantId;
    this.remember(userId, { mri: from.id, ...(tenantId ? { tenantId } : {}) });
    const member = await this.member(activity, place);
    const directoryId = member?.userPrincipalName || member?.email;
    // Cleaned like every inbound text: a name is stored (audit, approvals) and shown on cards.
    const displayName = cleanText(String(from.name || member?.name || userId))
      .trim()
      .slice(0, 200);
    return {
      platform: 'teams',
      userId,
      displayName,
      ...(directoryId ? { directoryId } : {}),
      ...(activity.locale ? { locale: activity.locale } : {}),
    };
  }

  accountOf(userId: string): { readonly mri: string; readonly tenantId?: string } | undefined {
    return this.accounts.get(userId);
  }

  private remember(userId: string, account: { mri: string; tenantId?: string }): void {
    this.accounts.delete(userId);
    this.accounts.set(userId, account);
    if (this.accounts.size > 10_000) this.accounts.delete(this.accounts.keys().next().value!);
  }

  private async member(activity: ActivitySender, place: ConversationPlace): Promise<Member | undefined> {
    const key = `${activity.conversation.tenantId ?? place.tenantId ?? ''}\n${activity.from.id}`;
    const now = this.options.clock.now().getTime();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.member;
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.lookup(activity, place, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  private async lookup(activity: ActivitySender, place: ConversationPlace, key: string): Promise<Member | undefined> {
    const roster = place.teamId ?? baseConversationId(activity.conversation.id);
    const ttl = this.options.ttlMs ?? 10 * 60_000;
    try {
      const member = await withRetry(() => this.options.connector.member(place.serviceUrl, roster, activity.from.id), {
        clock: this.options.clock,
        idempotent: true,
        attempts: 3,
      });
      this.store(key, { member, until: this.options.clock.now().getTime() + ttl });
      return member;
    } catch (err) {
      this.options.log('warn', 'Teams member lookup failed; acting without a directory identity', {
        err: err instanceof Error ? err.message : String(err),
      });
      this.store(key, { until: this.options.clock.now().getTime() + (this.options.failureTtlMs ?? 60_000) });
      return undefined;
    }
  }

  private store(key: string, value: Cached): void {
    this.cache.delete(key);
    this.cache.set(key, value);
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
  }
}
