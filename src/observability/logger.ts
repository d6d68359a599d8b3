/**
 * Structured JSON logs (pino), or a short readable line per record for a terminal. Secrets are
 * redacted by path, in case a caller logs an object that carries one.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'appPassword',
  '*.appPassword',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** A one-line-per-record destination for terminals: `12:00:01 info  message key=value`. */
function prettyDestination(out: NodeJS.WritableStream) {
  return {
    write(line: string) {
      try {
        const { time, level, msg, pid: _pid, hostname: _host, ...rest } = JSON.parse(line) as Record<string, unknown>;
        const when = new Date(Number(time)).toISOString().slice(11, 19);
        const extra = Object.entries(rest)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        out.write(
          `${when} ${(LEVEL_NAMES[Number(level)] ?? String(level)).padEnd(5)} ${String(msg ?? '')}${extra ? `  ${extra}` : ''}\n`,
        );
      } catch {
        out.write(line);
      }
    },
  };
}

export function createLogger(options: { level: string; pretty: boolean; destination?: NodeJS.WritableStream }): Logger {
  const out = options.destination ?? process.stdout;
  return pino(
    { level: options.level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'healthbot' } },
    options.pretty ? prettyDestination(out) : out,
  );
}
