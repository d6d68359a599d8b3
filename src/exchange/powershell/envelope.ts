/**
 * Finding the script's answer in what pwsh printed, and turning a PowerShell error into the
 * GatewayError the engine understands.
 *
 * The answer is the one stdout line that starts with `{"healthbot":1`. Anything else on stdout
 * or stderr is noise (a WARNING line from Import-PSSession, a progress record, a banner) and is
 * handed back as such, so that warnings Exchange prints are never mistaken for failures.
 */
import { GatewayError } from '../../core/index.ts';
import { redactPayloads } from './encode.ts';

export interface ScriptError {
  readonly message: string;
  readonly category?: string;
  readonly reason?: string;
  readonly id?: string;
  readonly type?: string;
}

export type Envelope =
  | { readonly ok: true; readonly data: unknown; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: ScriptError; readonly warnings: readonly string[] };

export interface Answer {
  readonly envelope?: Envelope;
  /** Lines that were not the envelope, from both streams, for the log. */
  readonly noise: readonly string[];
  /** The stderr lines alone: what PowerShell said when a script could not run at all. */
  readonly stderr: readonly string[];
}

const MARK = '{"healthbot":1';

function asStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/**
 * Terminal control sequences. A real pwsh on Linux writes keypad-mode switches (ESC [?1h ESC [?1l)
 * around each command even with redirected streams, on the same line as our envelope.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROL = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

export function readAnswer(stdout: string, stderr: string): Answer {
  const noise: string[] = [];
  let envelope: Envelope | undefined;
  for (const line of stdout.replace(TERMINAL_CONTROL, '').split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (!envelope && trimmed.startsWith(MARK)) {
      envelope = parseEnvelope(trimmed);
      if (envelope) continue;
    }
    noise.push(trimmed);
  }
  const errLines = stderr
    .replace(TERMINAL_CONTROL, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map(redactPayloads);
  return { ...(envelope ? { envelope } : {}), noise: [...noise.map(redactPayloads), ...errLines], stderr: errLines };
}

function parseEnvelope(line: string): Envelope | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const warnings = asStrings(o.warnings);
  if (o.ok === true) return { ok: true, data: o.data, warnings };
  if (o.ok === false && o.error && typeof o.error === 'object') {
    const e = o.error as Record<string, unknown>;
    const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const error: ScriptError = {
      message: s(e.message) ?? 'PowerShell reported an error without a message',
      ...(s(e.category) ? { category: s(e.category)! } : {}),
      ...(s(e.reason) ? { reason: s(e.reason)! } : {}),
      ...(s(e.id) ? { id: s(e.id)! } : {}),
      ...(s(e.type) ? { type: s(e.type)! } : {}),
    };
    return { ok: false, error, warnings };
  }
  return undefined;
}

const PERMISSION = [
  // A cmdlet missing from the imported session: RBAC did not grant it to this account.
  /CommandNotFoundException/i,
  // A parameter missing: the role entry leaves it out.
  /NamedParameterNotFound/i,
  /PermissionDenied/i,
  /AccessDenied|UnauthorizedAccess/i,
];
const PERMISSION_TEXT =
  /access is denied|not allowed to|isn't allowed|is not allowed|insufficient (access )?rights|isn't assigned|not been assigned|couldn't find a role/i;
const UNAVAILABLE = [
  /PSRemotingTransportException/i,
  /ResourceUnavailable/i,
  /WinRM/i,
  /PSSessionStateBroken|PSSessionOpenFailed/i,
];
const UNAVAILABLE_TEXT =
  /connecting to remote server .* failed|rpc server is unavailable|cannot connect|could not connect|no such host|the remote session .* (closed|broken)|timed out/i;

/** What went wrong, as the engine's error codes; the message is PowerShell's, payloads hidden. */
export function classify(error: ScriptError, server: string | undefined): GatewayError {
  const tags = [error.reason, error.id, error.type, error.category].filter(Boolean).join(' ');
  const message = redactPayloads(error.message).slice(0, 2000);
  const params = server ? { server } : {};
  if (PERMISSION.some((re) => re.test(tags)) || PERMISSION_TEXT.test(message))
    return new GatewayError('permission-denied', message, params);
  if (UNAVAILABLE.some((re) => re.test(tags)) || UNAVAILABLE_TEXT.test(message))
    return new GatewayError('unavailable', message, params);
  return new GatewayError('failed', message, params);
}
