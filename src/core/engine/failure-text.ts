/**
 * Which part failed, in words a person can act on: the bot's own store, Exchange, or the chat
 * platform. A store failure read as "Exchange could not be reached" sends an engineer to check a
 * healthy server, so each kind of failure has its own message.
 */
import { ChatError, GatewayError, HealthbotError, StoreError } from '../errors.ts';
import type { Translate } from '../ports/i18n.ts';

export interface FailureText {
  readonly key: string;
  readonly vars: Readonly<Record<string, string | number>>;
}

export function failureText(t: Translate, err: unknown, server?: string): FailureText {
  if (err instanceof StoreError) return { key: 'errors.store', vars: {} };
  if (err instanceof ChatError) return { key: 'errors.chat', vars: {} };
  if (err instanceof GatewayError) return { key: `errors.${err.code}`, vars: { server: server || t('errors.someServer'), ...err.params } };
  if (err instanceof HealthbotError && err.code === 'conflict') return { key: 'errors.conflict', vars: {} };
  if (err instanceof HealthbotError && err.code === 'unknown-server') return { key: 'errors.unknown-server', vars: { server: server || t('errors.someServer'), ...err.params } };
  return { key: 'errors.internal', vars: {} };
}
