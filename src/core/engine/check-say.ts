/**
 * What a check the bot made on its own (an evidence read, the watch over a restart, an override's
 * end, a move of its own endpoint) says in the timeline: a `checks:*` key and its values, rendered
 * in the reader's language. The English `summary` next to it stays for logs and older records.
 */
import { GATEWAY_ERROR_CODES } from '../errors.ts';
import type { RebootPhase } from '../model/incident.ts';
import type { SideRead } from '../model/side-read.ts';
import type { Said } from './views/values.ts';

/** Why a read gave nothing, as a short phrase: a gateway's code is named, anything else is an unexpected error. */
export function whyNotRead(
  read: { readonly status: 'timed-out' } | { readonly status: 'failed'; readonly code: string },
): Said {
  if (read.status === 'timed-out') return { key: 'checks:error.timeout' };
  const known = (GATEWAY_ERROR_CODES as readonly string[]).includes(read.code);
  return { key: `checks:error.${known ? read.code : 'unexpected'}` };
}

/** A read's summary: `describe` for what was read, "not read (why)" for what was not. */
export function readSay<T>(read: SideRead<T>, describe: (value: T) => Said): Said {
  if (read.status === 'read') return describe(read.value);
  return { key: 'checks:notRead', parts: { why: whyNotRead(read) } };
}

/** The same, for one monitor's read: "ImapCTPMonitor: 12 of 14 failed". */
export function monitorReadSay<T>(monitor: string, read: SideRead<T>, describe: (value: T) => Said): Said {
  return { key: 'checks:ofMonitor', vars: { monitor }, parts: { what: readSay(read, describe) } };
}

export function rebootPhaseSay(server: string, phase: RebootPhase): Said {
  return { key: `checks:reboot.${phase}`, vars: { server } };
}
