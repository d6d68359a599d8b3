/**
 * Who clicked, in the terms the policy speaks: the Slack user id, the directory identity (the
 * profile email, so the two-person rule compares people, not accounts), the language Slack knows
 * for them, and which configured user groups they are in. Answers are cached: `users.info` is
 * Tier 4 and `usergroups.users.list` Tier 2, and a click must not wait on either twice.
 */
import type { webApi } from '@slack/bolt';
import type { Actor, Clock } from '../../src/core/index.ts';
import { cleanText } from '../../src/core/index.ts';

export interface IdentityOptions {
  readonly client: webApi.WebClient;
  readonly clock: Clock;
  /** User group ids (`S0123…`) the policy names; membership is looked up only for these. */
  readonly groups: readonly string[];
  readonly userTtlMs?: number;
  readonly groupTtlMs?: number;
  readonly log: (level: 'warn', msg: string, fields?: object) => void;
}

interface Cached<T> {
  readonly value: Promise<T>;
  readonly until: number;
}

interface SlackUser {
  readonly name: string;
  readonly email?: string;
  readonly locale?: string;
}

export interface Identities {
  actor(userId: string, fallbackName?: string): Promise<Actor>;
}

export function createIdentities(options: IdentityOptions): Identities {
  const users = new Map<string, Cached<SlackUser>>();
  const groups = new Map<string, Cached<ReadonlySet<string>>>();
  const userTtl = options.userTtlMs ?? 10 * 60_000;
  const groupTtl = options.groupTtlMs ?? 5 * 60_000;
  const now = () => options.clock.now().getTime();

  // A failed lookup is not cached, so the next click tries again.
  function cached<T>(map: Map<string, Cached<T>>, key: string, ttl: number, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && hit.until > now()) return hit.value;
    const value = load();
    map.set(key, { value, until: now() + ttl });
    value.catch(() => map.delete(key));
    return value;
  }

  const user = (userId: string, fallbackName: string) =>
    cached(users, userId, userTtl, async (): Promise<SlackUser> => {
      const r = await options.client.users.info({ user: userId, include_locale: true });
      const u = r.user;
      const profile = u?.profile;
      const name = profile?.display_name || profile?.real_name || u?.real_name || u?.name || fallbackName;
      return { name, ...(profile?.email ? { email: profile.email } : {}), ...(u?.locale ? { locale: u.locale } : {}) };
    });

  const members = (group: string) =>
    cached(groups, group, groupTtl, async () => {
      const r = await options.client.usergroups.users.list({ usergroup: group });
      return new Set(r.users ?? []);
    });

  return {
    async actor(userId, fallbackName = userId) {
      let info: SlackUser;
      try {
        info = await user(userId, fallbackName);
      } catch (err) {
        // Without users.info the person is still who Slack says clicked; only the email (and so
        // a directory-based role) and the language are missing, and the policy decides with less.
        options.log('warn', 'users.info failed; deciding on the Slack user id alone', { userId, err: String(err) });
        info = { name: fallbackName };
      }
      const memberOf: string[] = [];
      await Promise.all(
        options.groups.map(async (g) => {
          try {
            if ((await members(g)).has(userId)) memberOf.push(g);
          } catch (err) {
            options.log('warn', 'usergroups.users.list failed; that group grants no role this time', {
              group: g,
              err: String(err),
            });
          }
        }),
      );
      return {
        platform: 'slack',
        userId,
        // The name is shown in the "asked" echo before the engine sees the event: cleaned here too.
        displayName: cleanText(info.name),
        ...(info.email ? { directoryId: info.email } : {}),
        ...(info.locale ? { locale: info.locale } : {}),
        ...(memberOf.length ? { groups: memberOf.sort() } : {}),
      };
    },
  };
}
