/**
 * How a fixed script and its values travel to pwsh: as one line of command text whose only
 * variable parts are two base64 literals.
 *
 * Why base64 for both:
 * - Values (server names, probe names, flags) are JSON, base64-encoded, and decoded inside the
 *   script with ConvertFrom-Json. The base64 alphabet has no quote of any kind (PowerShell also
 *   treats U+2018..U+201E as quotes), no `$`, no backtick, no `;` and no newline, so no value
 *   can end the literal it sits in or be parsed as code.
 * - The script itself is base64 too, because node-powershell writes each command to
 *   `pwsh -Command -` on stdin followed by its own delimiter lines. A multi-line script would
 *   be read line by line and could swallow the delimiters; one line of fixed shape cannot.
 */

/** What pwsh receives for every invocation, with the two payloads in place. */
const PREFIX = "& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('";
const MIDDLE = "')))) '";
const SUFFIX = "'";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function fromBase64(b64: string): string {
  if (!BASE64.test(b64)) throw new Error('not base64');
  return Buffer.from(b64, 'base64').toString('utf8');
}

/** Values as base64 JSON. `undefined` members are dropped, as JSON drops them. */
export function encodeValues(values: Readonly<Record<string, unknown>>): string {
  return toBase64(JSON.stringify(values));
}

/** The command line for one run of `script` with `values`. */
export function invocationLine(script: string, values: Readonly<Record<string, unknown>>): string {
  return `${PREFIX}${toBase64(script)}${MIDDLE}${encodeValues(values)}${SUFFIX}`;
}

export interface DecodedInvocation {
  readonly script: string;
  readonly values: unknown;
}

/**
 * The inverse of `invocationLine`, for tests and the stand-in pwsh: undefined when the line does
 * not have exactly the fixed shape (which is itself a finding in the injection tests).
 */
export function decodeInvocation(line: string): DecodedInvocation | undefined {
  if (!line.startsWith(PREFIX) || !line.endsWith(SUFFIX)) return undefined;
  const body = line.slice(PREFIX.length, line.length - SUFFIX.length);
  const parts = body.split(MIDDLE);
  if (parts.length !== 2) return undefined;
  const [script, values] = parts as [string, string];
  if (!BASE64.test(script) || !BASE64.test(values)) return undefined;
  return { script: fromBase64(script), values: JSON.parse(fromBase64(values)) as unknown };
}

/**
 * Our payloads in base64: values are a JSON object (`{"` is `eyJ`), scripts start with the
 * marker line; anything very long in base64's alphabet is treated as one too. A quoted name such
 * as 'DatabaseCopyActivationDisabledAndMoveNow' in Exchange's own message must stay readable.
 */
const PAYLOAD = /'(?:eyJ|IyBoZWFsdGhib3Qt)[A-Za-z0-9+/]*={0,2}'|'[A-Za-z0-9+/]{100,}={0,2}'/g;

/** Hides base64 payloads in text that may echo a command line (a parser error quotes it). */
export function redactPayloads(text: string): string {
  return text.replace(PAYLOAD, "'[data]'");
}
