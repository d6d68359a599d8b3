/**
 * Which part failed, in words a person can act on: the bot's own store, Exchange, or the chat
 * platform. A store failure read as "Exchange could not be reached" sends an engineer to check a
 * healthy server, so each kind of failure has its own message. The mapping itself is
 * `userMessage` (core/errors.ts); this only fills in "a server" in the reader's language.
 */
import { userMessage } from '../errors.ts';
import type { UserMessage } from '../errors.ts';
import type { Translate } from '../ports/i18n.ts';

export type FailureText = Pick<UserMessage, 'key' | 'vars' | 'code'>;

export function failureText(t: Translate, err: unknown, server?: string): FailureText {
  const message = userMessage(err, server ? { server } : {});
  if (!message.namesServer || message.vars.server !== undefined)
    return { key: message.key, vars: message.vars, code: message.code };
  return { key: message.key, vars: { ...message.vars, server: t('errors.someServer') }, code: message.code };
}
