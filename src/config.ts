/**
 * The only module that reads `process.env`. Everything is validated at once: a bad start-up lists
 * every problem, not just the first. Secrets are kept out of logs by `redactConfig`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locale } from './core/index.ts';
import { ConfigError, SUPPORTED_LOCALES } from './core/index.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ExchangeEndpoint {
  readonly server: string;
  readonly uri: string;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly timeZone: string;
  /** Who an escalated incident is handed to (a team, an on-call rota), named on the confirmation and the card. */
  readonly escalationTarget?: string;
  /** After a server restart: how long Managed Availability settles before the probe is rerun. */
  readonly rebootSettleSeconds: number;
  /** A Mailbox server restarts only while a passive copy elsewhere is at most this far behind (logs). */
  readonly restartLimits: { readonly copyQueue: number; readonly replayQueue: number };
  readonly log: { readonly level: string; readonly pretty: boolean };
  readonly exchange:
    | {
        readonly kind: 'lab';
        readonly scenario?: string;
        readonly latency: 'none' | 'realistic';
        /** Servers whose PowerShell endpoint the lab pretends the bot uses (HEALTHBOT_LAB_ENDPOINTS). */
        readonly endpoints?: readonly string[];
      }
    | {
        readonly kind: 'powershell';
        readonly executable: string;
        readonly endpoints: readonly ExchangeEndpoint[];
        readonly authentication: 'Kerberos' | 'Basic';
        /** WinRM to the servers' OS, separate from the Exchange endpoint's; never Basic. */
        readonly remotingAuthentication: 'Kerberos' | 'Negotiate';
        readonly credential?: { readonly username: string; readonly password: string };
        readonly operationTimeoutMs: number;
        readonly perServerConcurrency: number;
        /** Long-lived pwsh processes, each holding one remote session of the bot's account. */
        readonly shells: number;
        /** Starting pwsh and importing the Exchange session. */
        readonly connectTimeoutMs: number;
      };
  readonly policyFile?: string;
  readonly approvalExpiryMinutes: number;
  readonly web: {
    readonly enabled: boolean;
    readonly allowRemote: boolean;
    readonly token?: string;
    /**
     * HEALTHBOT_WEB_HOSTS: the Host names (`name` or `name:port`) the web chat answers to, and the
     * origins it takes posts from. Unset: the loopback names on the port the request arrived on.
     */
    readonly hosts?: readonly string[];
  };
  /** HEALTHBOT_STATUS_TOKEN: shows /healthz's details (data dir, database, scenario) to a Bearer of it. */
  readonly statusToken?: string;
  /** Whether HEALTHBOT_APPROVAL_EXPIRY_MINUTES was set (a policy file's expiryMinutes wins over it). */
  readonly approvalExpiryFromEnv: boolean;
  /** The tamper-evident audit trail: its key and where anchors of its head are written. */
  readonly audit: {
    /** HEALTHBOT_AUDIT_KEY: the HMAC key itself; wins over the key file. */
    readonly key?: string;
    /** HEALTHBOT_AUDIT_KEY_FILE, default `<data dir>.audit-key` (generated, 0600, on first start). */
    readonly keyFile: string;
    /** Whether HEALTHBOT_AUDIT_KEY_FILE was set (replicas on PostgreSQL must share one key). */
    readonly keyFileConfigured: boolean;
    /** HEALTHBOT_AUDIT_ANCHOR_FILE, default `<data dir>.audit-anchors`. */
    readonly anchorFile: string;
    /** HEALTHBOT_AUDIT_ANCHOR_MINUTES: how often the head is anchored while it moves (0: only at incident close). */
    readonly anchorMinutes: number;
  };
  /** Alerts in: the webhook's credentials and limits, where cards go, what to ignore, storms, watch mode. */
  readonly alerts: AlertsConfig;
  readonly slack?: {
    readonly botToken: string;
    readonly appToken?: string;
    readonly signingSecret?: string;
    readonly apiUrl?: string;
  };
  readonly teams?: {
    readonly appId: string;
    readonly appPassword?: string;
    readonly appType: string;
    readonly tenantId?: string;
    readonly insecureDev: boolean;
  };
}

export interface AlertsConfig {
  /** HEALTHBOT_ALERT_TOKEN: `Authorization: Bearer <token>` on POST /api/alerts. */
  readonly token?: string;
  /** HEALTHBOT_ALERT_HMAC_SECRET: `X-Healthbot-Signature: sha256=<HMAC of "<timestamp>.<body>">`. */
  readonly hmacSecret?: string;
  /** HEALTHBOT_ALERT_MAX_BYTES: larger bodies get 413. */
  readonly maxBytes: number;
  /** HEALTHBOT_ALERT_LOCALE: the language of alert cards and the diagnoses they start. */
  readonly locale: Locale;
  /** HEALTHBOT_ALERT_IGNORE_SERVERS / _HEALTH_SETS: alerts for these open nothing. */
  readonly ignore: { readonly servers: readonly string[]; readonly healthSets: readonly string[] };
  /** HEALTHBOT_ALERT_STORM_THRESHOLD new problems within HEALTHBOT_ALERT_STORM_WINDOW_SECONDS make a storm. */
  readonly stormThreshold: number;
  readonly stormWindowSeconds: number;
  /** SLACK_ALERTS_CHANNEL: the Slack channel id alert cards go to (Teams: "alerts here"; web chat: its Alerts thread). */
  readonly slackChannel?: string;
  readonly watch: {
    /** HEALTHBOT_WATCH (default on): the bot reads Get-ServerHealth itself and raises and clears alerts. */
    readonly enabled: boolean;
    /** HEALTHBOT_WATCH_INTERVAL_SECONDS (default 120; 15 in the lab), jittered by up to a tenth either way. */
    readonly intervalSeconds: number;
    /** HEALTHBOT_WATCH_CONCURRENCY: servers read at once (default 4). */
    readonly concurrency: number;
    /** HEALTHBOT_WATCH_SAMPLES: samples in a row before a change counts (default 2). */
    readonly samples: number;
  };
}

const NAME_LIST_ENTRY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function nameList(env: Env, name: string, problems: string[]): string[] {
  const entries = (env[name] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of entries)
    if (!NAME_LIST_ENTRY.test(e)) problems.push(`${name}: "${e}" is not a server or health-set name`);
  return entries;
}

function alertsConfig(env: Env, problems: string[], lab: boolean): AlertsConfig {
  const token = env.HEALTHBOT_ALERT_TOKEN || undefined;
  if (token !== undefined && token.length < 16) problems.push('HEALTHBOT_ALERT_TOKEN must be 16 characters or more');
  const hmacSecret = env.HEALTHBOT_ALERT_HMAC_SECRET || undefined;
  if (hmacSecret !== undefined && hmacSecret.length < 32)
    problems.push('HEALTHBOT_ALERT_HMAC_SECRET must be 32 characters or more');
  const locale = env.HEALTHBOT_ALERT_LOCALE?.trim() || SUPPORTED_LOCALES[0];
  const isLocale = (tag: string): tag is Locale => (SUPPORTED_LOCALES as readonly string[]).includes(tag);
  if (!isLocale(locale))
    problems.push(`HEALTHBOT_ALERT_LOCALE must be one of ${SUPPORTED_LOCALES.join(', ')} (got "${locale}")`);
  const slackChannel = env.SLACK_ALERTS_CHANNEL?.trim() || undefined;
  if (slackChannel && !/^[CG][A-Z0-9]{2,31}$/.test(slackChannel))
    problems.push(`SLACK_ALERTS_CHANNEL must be a channel id such as C0123456789 (got "${slackChannel}")`);
  if (slackChannel && !env.SLACK_BOT_TOKEN?.trim())
    problems.push('SLACK_ALERTS_CHANNEL needs Slack to be configured (SLACK_BOT_TOKEN)');
  const watch = env.HEALTHBOT_WATCH?.trim();
  if (watch !== undefined && watch !== '' && !/^(1|0|true|false|yes|no|on|off)$/i.test(watch))
    problems.push('HEALTHBOT_WATCH must be on or off');
  return {
    ...(token ? { token } : {}),
    ...(hmacSecret ? { hmacSecret } : {}),
    maxBytes: integer(env, 'HEALTHBOT_ALERT_MAX_BYTES', 256 * 1024, 1024, 10 * 1024 * 1024, problems),
    locale: isLocale(locale) ? locale : SUPPORTED_LOCALES[0],
    ignore: {
      servers: nameList(env, 'HEALTHBOT_ALERT_IGNORE_SERVERS', problems),
      healthSets: nameList(env, 'HEALTHBOT_ALERT_IGNORE_HEALTH_SETS', problems),
    },
    stormThreshold: integer(env, 'HEALTHBOT_ALERT_STORM_THRESHOLD', 5, 2, 1000, problems),
    stormWindowSeconds: integer(env, 'HEALTHBOT_ALERT_STORM_WINDOW_SECONDS', 300, 10, 24 * 3600, problems),
    ...(slackChannel ? { slackChannel } : {}),
    watch: {
      enabled: watch === undefined || watch === '' ? true : flag(watch),
      // The lab answers at once and a newcomer should see a card within a minute; Exchange: two minutes.
      intervalSeconds: integer(env, 'HEALTHBOT_WATCH_INTERVAL_SECONDS', lab ? 15 : 120, 5, 24 * 3600, problems),
      concurrency: integer(env, 'HEALTHBOT_WATCH_CONCURRENCY', 4, 1, 64, problems),
      samples: integer(env, 'HEALTHBOT_WATCH_SAMPLES', 2, 1, 10, problems),
    },
  };
}

const SECRET_PLACEHOLDER = '[redacted]';

function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

function readSecretFile(path: string, problems: string[], name: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    problems.push(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

/** Is HOST one of the loopback addresses (the web chat's safe default)? */
export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

/** `name`, `name:port`, `[v6]` or `[v6]:port`: a Host header's shape, without scheme or path. */
const HOST_ENTRY = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/i;

function hostList(raw: string | undefined, problems: string[]): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const entries = raw
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  for (const e of entries)
    if (!HOST_ENTRY.test(e)) problems.push(`HEALTHBOT_WEB_HOSTS: "${e}" is not a host name, optionally with :port`);
  return entries;
}

export interface ConfigOverrides {
  readonly dataDir?: string;
  readonly scenario?: string;
}

export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const problems: string[] = [];
  const port = integer(env, 'PORT', 3000, 0, 65535, problems);
  const host = env.HOST?.trim() || '127.0.0.1';
  const dataDir = resolve(overrides.dataDir ?? (env.HEALTHBOT_DATA_DIR?.trim() || './data'));
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const timeZone = env.HEALTHBOT_TIMEZONE?.trim() || 'UTC';
  // Ten minutes against Exchange; the lab's monitors settle at once, so seconds are enough there.
  const labDefault = (env.HEALTHBOT_EXCHANGE ?? 'lab').trim() === 'lab';
  const rebootSettleSeconds = integer(
    env,
    'HEALTHBOT_REBOOT_SETTLE_SECONDS',
    labDefault ? 10 : 600,
    0,
    24 * 3600,
    problems,
  );
  // Our defaults (restart-preconditions.ts): a copy further behind than this is not ready to take over at once.
  const restartLimits = {
    copyQueue: integer(env, 'HEALTHBOT_RESTART_MAX_COPY_QUEUE', 10, 0, 1_000_000, problems),
    replayQueue: integer(env, 'HEALTHBOT_RESTART_MAX_REPLAY_QUEUE', 100, 0, 1_000_000, problems),
  };
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`HEALTHBOT_TIMEZONE: unknown time zone "${timeZone}"`);
  }
  const level = env.LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${level}")`);
  }
  const logFormat = env.LOG_FORMAT?.trim();
  if (logFormat && !['json', 'pretty'].includes(logFormat)) problems.push('LOG_FORMAT must be json or pretty');
  const pretty = logFormat ? logFormat === 'pretty' : Boolean(process.stdout.isTTY);

  const exchangeKind = env.HEALTHBOT_EXCHANGE?.trim() || 'lab';
  let exchange: Config['exchange'] = { kind: 'lab', latency: 'none' };
  if (exchangeKind === 'lab') {
    const latency = env.HEALTHBOT_LAB_LATENCY?.trim() || 'none';
    if (latency !== 'none' && latency !== 'realistic') problems.push('HEALTHBOT_LAB_LATENCY must be none or realistic');
    const scenario = overrides.scenario ?? (env.HEALTHBOT_LAB_SCENARIO?.trim() || undefined);
    const endpoints = (env.HEALTHBOT_LAB_ENDPOINTS ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    for (const e of endpoints)
      if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(e))
        problems.push(`HEALTHBOT_LAB_ENDPOINTS: "${e}" is not a server name`);
    const twice = endpoints.filter((e, i) => endpoints.findIndex((o) => o.toLowerCase() === e.toLowerCase()) !== i);
    if (twice.length > 0)
      problems.push(`HEALTHBOT_LAB_ENDPOINTS names ${[...new Set(twice)].join(', ')} more than once`);
    exchange = {
      kind: 'lab',
      latency: latency === 'realistic' ? 'realistic' : 'none',
      ...(scenario ? { scenario } : {}),
      ...(endpoints.length > 0 ? { endpoints } : {}),
    };
  } else if (exchangeKind === 'powershell') {
    const endpoints: ExchangeEndpoint[] = [];
    for (const part of (env.HEALTHBOT_EXCHANGE_ENDPOINTS ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const eq = part.indexOf('=');
      const server = eq > 0 ? part.slice(0, eq).trim() : '';
      const uri = eq > 0 ? part.slice(eq + 1).trim() : '';
      if (!server || !/^https?:\/\/[^/\s]+\/PowerShell\/?$/i.test(uri)) {
        problems.push(`HEALTHBOT_EXCHANGE_ENDPOINTS: "${part}" is not server=http(s)://<fqdn>/PowerShell/`);
      } else endpoints.push({ server, uri });
    }
    if (endpoints.length === 0)
      problems.push('HEALTHBOT_EXCHANGE_ENDPOINTS must name at least one server=http://<fqdn>/PowerShell/');
    // Each server once: leaving a server's endpoint before its IISReset must leave all of it.
    const twice = endpoints
      .filter((e, i) => endpoints.findIndex((o) => o.server.toLowerCase() === e.server.toLowerCase()) !== i)
      .map((e) => e.server);
    if (twice.length > 0)
      problems.push(`HEALTHBOT_EXCHANGE_ENDPOINTS names ${[...new Set(twice)].join(', ')} more than once`);
    const auth = env.HEALTHBOT_EXCHANGE_AUTH?.trim() || 'Kerberos';
    if (auth !== 'Kerberos' && auth !== 'Basic') problems.push('HEALTHBOT_EXCHANGE_AUTH must be Kerberos or Basic');
    const username = env.HEALTHBOT_EXCHANGE_USERNAME?.trim();
    let password = env.HEALTHBOT_EXCHANGE_PASSWORD;
    if (!password && env.HEALTHBOT_EXCHANGE_PASSWORD_FILE) {
      password = readSecretFile(env.HEALTHBOT_EXCHANGE_PASSWORD_FILE, problems, 'HEALTHBOT_EXCHANGE_PASSWORD_FILE');
    }
    if (auth === 'Basic') {
      if (!username || !password)
        problems.push('Basic authentication needs HEALTHBOT_EXCHANGE_USERNAME and a password');
      for (const e of endpoints) {
        if (!e.uri.toLowerCase().startsWith('https://'))
          problems.push(`Basic authentication needs https:// (endpoint ${e.server})`);
      }
    }
    if (Boolean(username) !== Boolean(password))
      problems.push('set both HEALTHBOT_EXCHANGE_USERNAME and a password, or neither');
    // Services, IIS and restarts go over WinRM (5985): Kerberos, or Negotiate when Exchange is reached with Basic.
    const winrm = env.HEALTHBOT_WINRM_AUTH?.trim() || (auth === 'Basic' ? 'Negotiate' : 'Kerberos');
    if (winrm !== 'Kerberos' && winrm !== 'Negotiate')
      problems.push('HEALTHBOT_WINRM_AUTH must be Kerberos or Negotiate (Basic is never used for WinRM)');
    exchange = {
      kind: 'powershell',
      executable: env.HEALTHBOT_PWSH?.trim() || 'pwsh',
      endpoints,
      authentication: auth === 'Basic' ? 'Basic' : 'Kerberos',
      remotingAuthentication: winrm === 'Negotiate' ? 'Negotiate' : 'Kerberos',
      ...(username && password ? { credential: { username, password } } : {}),
      operationTimeoutMs: integer(env, 'HEALTHBOT_EXCHANGE_TIMEOUT_MS', 120_000, 1_000, 3_600_000, problems),
      perServerConcurrency: integer(env, 'HEALTHBOT_EXCHANGE_CONCURRENCY', 2, 1, 16, problems),
      // Exchange allows a user 18 remote sessions by default (throttling policy); stay well below.
      shells: integer(env, 'HEALTHBOT_PWSH_SHELLS', 4, 1, 16, problems),
      connectTimeoutMs: integer(env, 'HEALTHBOT_PWSH_CONNECT_TIMEOUT_MS', 90_000, 1_000, 600_000, problems),
    };
  } else {
    problems.push(`HEALTHBOT_EXCHANGE must be lab or powershell (got "${exchangeKind}")`);
  }

  const hosts = hostList(env.HEALTHBOT_WEB_HOSTS, problems);
  const web = {
    enabled: env.HEALTHBOT_WEB === undefined ? true : flag(env.HEALTHBOT_WEB),
    allowRemote: flag(env.HEALTHBOT_WEB_ALLOW_REMOTE),
    ...(env.HEALTHBOT_WEB_TOKEN ? { token: env.HEALTHBOT_WEB_TOKEN } : {}),
    ...(hosts ? { hosts } : {}),
  };
  if (web.enabled && !isLoopbackHost(host)) {
    if (!web.allowRemote) {
      problems.push(
        `HOST=${host} would expose the web chat, whose personas allow impersonation; set HEALTHBOT_WEB_ALLOW_REMOTE=1 and HEALTHBOT_WEB_TOKEN, or HEALTHBOT_WEB=0`,
      );
    } else {
      if (!web.token || web.token.length < 16)
        problems.push(
          'HEALTHBOT_WEB_TOKEN must be set (16 characters or more) when the web chat is reachable beyond loopback',
        );
      // The loopback defaults would refuse every remote visitor; the names people use must be said.
      if (!hosts)
        problems.push(
          'HEALTHBOT_WEB_HOSTS must name the host names the web chat is reached by (e.g. healthbot.contoso.com) when it is reachable beyond loopback',
        );
    }
  }
  const statusToken = env.HEALTHBOT_STATUS_TOKEN || undefined;
  if (statusToken !== undefined && statusToken.length < 16)
    problems.push('HEALTHBOT_STATUS_TOKEN must be 16 characters or more');

  let slack: Config['slack'];
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  if (botToken) {
    const appToken = env.SLACK_APP_TOKEN?.trim();
    const signingSecret = env.SLACK_SIGNING_SECRET?.trim();
    if (!appToken && !signingSecret)
      problems.push('Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
    if (appToken && !appToken.startsWith('xapp-'))
      problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-...)');
    const apiUrl = env.SLACK_API_URL?.trim();
    if (apiUrl && !/^https?:\/\//.test(apiUrl)) problems.push('SLACK_API_URL must be an http(s) URL');
    slack = {
      botToken,
      ...(appToken ? { appToken } : {}),
      ...(signingSecret ? { signingSecret } : {}),
      ...(apiUrl ? { apiUrl } : {}),
    };
  } else if (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_BOT_TOKEN is required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  }

  let teams: Config['teams'];
  const appId = env.MICROSOFT_APP_ID?.trim() ?? '';
  const insecureDev = flag(env.HEALTHBOT_TEAMS_INSECURE_DEV);
  if (appId || insecureDev) {
    const appType = env.MICROSOFT_APP_TYPE?.trim() || 'MultiTenant';
    if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appType)) {
      problems.push('MICROSOFT_APP_TYPE must be MultiTenant, SingleTenant or UserAssignedMSI');
    }
    const tenantId = env.MICROSOFT_APP_TENANT_ID?.trim();
    if (appType === 'SingleTenant' && !tenantId) problems.push('SingleTenant apps need MICROSOFT_APP_TENANT_ID');
    const appPassword = env.MICROSOFT_APP_PASSWORD;
    if (appId && appType !== 'UserAssignedMSI' && !appPassword)
      problems.push('MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID');
    teams = {
      appId,
      appType,
      insecureDev: insecureDev && !appId,
      ...(appPassword ? { appPassword } : {}),
      ...(tenantId ? { tenantId } : {}),
    };
  } else if (env.MICROSOFT_APP_PASSWORD || env.MICROSOFT_APP_TENANT_ID) {
    // Half a Teams configuration would otherwise switch Teams off without a word.
    problems.push(
      'MICROSOFT_APP_ID is required when MICROSOFT_APP_PASSWORD or MICROSOFT_APP_TENANT_ID is set (or HEALTHBOT_TEAMS_INSECURE_DEV=1 for a local test without authentication)',
    );
  }

  const policyFile = env.HEALTHBOT_POLICY_FILE?.trim() || undefined;
  const approvalExpiryMinutes = integer(env, 'HEALTHBOT_APPROVAL_EXPIRY_MINUTES', 15, 1, 24 * 60, problems);

  const auditKey = env.HEALTHBOT_AUDIT_KEY?.trim() || undefined;
  if (auditKey && auditKey.length < 32)
    problems.push('HEALTHBOT_AUDIT_KEY must be 32 characters or more (for example 64 hex digits)');
  // Beside the data directory, not in it: a copy of the data directory does not carry the key.
  const audit = {
    ...(auditKey ? { key: auditKey } : {}),
    keyFile: resolve(env.HEALTHBOT_AUDIT_KEY_FILE?.trim() || `${dataDir}.audit-key`),
    keyFileConfigured: Boolean(env.HEALTHBOT_AUDIT_KEY_FILE?.trim()),
    anchorFile: resolve(env.HEALTHBOT_AUDIT_ANCHOR_FILE?.trim() || `${dataDir}.audit-anchors`),
    anchorMinutes: integer(env, 'HEALTHBOT_AUDIT_ANCHOR_MINUTES', 60, 0, 24 * 60, problems),
  };

  const alerts = alertsConfig(env, problems, exchange.kind === 'lab');

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    alerts,
    port,
    host,
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    timeZone,
    ...(env.HEALTHBOT_ESCALATION_TARGET?.trim() ? { escalationTarget: env.HEALTHBOT_ESCALATION_TARGET.trim() } : {}),
    rebootSettleSeconds,
    restartLimits,
    log: { level, pretty },
    exchange,
    ...(policyFile ? { policyFile: resolve(policyFile) } : {}),
    approvalExpiryMinutes,
    approvalExpiryFromEnv: Boolean(env.HEALTHBOT_APPROVAL_EXPIRY_MINUTES?.trim()),
    web,
    ...(statusToken ? { statusToken } : {}),
    audit,
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
  };
}

/** A copy safe to log: every secret replaced, URLs stripped of credentials. */
export function redactConfig(config: Config): unknown {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  const hide = (obj: Record<string, unknown> | undefined, keys: string[]) => {
    if (!obj) return;
    for (const k of keys) if (obj[k] !== undefined) obj[k] = SECRET_PLACEHOLDER;
  };
  if (typeof copy.databaseUrl === 'string')
    copy.databaseUrl = copy.databaseUrl.replace(/\/\/([^@/]*)@/, '//[redacted]@');
  const exchange = copy.exchange as Record<string, unknown>;
  hide(exchange.credential as Record<string, unknown> | undefined, ['password']);
  hide(copy.web as Record<string, unknown>, ['token']);
  hide(copy, ['statusToken']);
  hide(copy.audit as Record<string, unknown>, ['key']);
  hide(copy.slack as Record<string, unknown> | undefined, ['botToken', 'appToken', 'signingSecret']);
  hide(copy.teams as Record<string, unknown> | undefined, ['appPassword']);
  hide(copy.alerts as Record<string, unknown>, ['token', 'hmacSecret']);
  return copy;
}
