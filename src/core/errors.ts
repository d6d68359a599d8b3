/**
 * Typed errors for broken infrastructure and bugs. Expected outcomes (a failed probe, a refused
 * approval) are values, not errors. Each error carries a code that maps to a localised message
 * (`errors.<code>` in locales), so users never see a stack trace.
 */

export type GatewayErrorCode =
  | 'unknown-server'
  | 'not-allowed'
  | 'timeout'
  | 'unavailable'
  | 'crashed'
  | 'not-installed'
  | 'permission-denied'
  | 'bad-output'
  | 'failed';

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
