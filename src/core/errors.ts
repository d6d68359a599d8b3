/**
 * Typed errors for broken infrastructure and bugs. Expected outcomes (a failed probe, a refused
 * approval) are values, not errors. Each error carries a code that maps to a localised message
 * (`errors.<code>` in locales), so users never see a stack trace.
 */

export const GATEWAY_ERROR_CODES = [
  'unknown-server',
  'not-allowed',
  'timeout',
  'unavailable',
  'crashed',
  'not-installed',
  'permission-denied',
  'bad-output',
  'failed',
] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

export class HealthbotError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Values for the localised message; never secrets. */
    readonly params: Readonly<Record<string, string | number>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class GatewayError extends HealthbotError {
  declare readonly code: GatewayErrorCode;
  constructor(
    code: GatewayErrorCode,
    message: string,
    params: Readonly<Record<string, string | number>> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, params, options);
  }
}

export class StoreError extends HealthbotError {}

export class ConfigError extends HealthbotError {
  constructor(readonly problems: readonly string[]) {
    super('config', `Configuration has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  }
}

/** The chat platform refused or failed a post, an update or a notice. */
export class ChatError extends HealthbotError {}

/** What a person reads about a failure: a key under `errors.` in locales, and its variables. */
export interface UserMessage {
  readonly key: string;
  readonly vars: Readonly<Record<string, string | number>>;
  /** The code for the audit trail and logs (`internal` for anything that is not a HealthbotError). */
  readonly code: string;
  /** The message names a server; when none is known the caller says "a server" in the person's language. */
  readonly namesServer: boolean;
}

/**
 * The one path from an error to a person's message. Which part failed decides the words: the
 * bot's own store, the chat platform, Exchange (per gateway code), a server nobody knows, a lost
 * race; anything else is an internal error, never a stack trace.
 */
export function userMessage(err: unknown, about: { readonly server?: string } = {}): UserMessage {
  const code = err instanceof HealthbotError ? err.code : 'internal';
  const plain = (key: string): UserMessage => ({ key, vars: {}, code, namesServer: false });
  if (err instanceof StoreError) return plain('errors.store');
  if (err instanceof ChatError) return plain('errors.chat');
  if (err instanceof GatewayError || (err instanceof HealthbotError && err.code === 'unknown-server')) {
    return {
      key: `errors.${err.code}`,
      vars: { ...(about.server ? { server: about.server } : {}), ...err.params },
      code,
      namesServer: true,
    };
  }
  if (err instanceof HealthbotError && err.code === 'conflict') return plain('errors.conflict');
  return plain('errors.internal');
}
