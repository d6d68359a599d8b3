/**
 * Slack conversations as the engine sees them: one thread in one channel of one workspace,
 * `slack:<team>:<channel>:<thread ts>`. The thread's root is the question (a mention, a direct
 * message, or the echo of a slash command), so every answer and follow-up stays in that thread.
 */
import type { ConversationRef } from '../../src/core/index.ts';

export const SLACK_PREFIX = 'slack:';

export interface SlackThread {
  readonly team: string;
  readonly channel: string;
  readonly threadTs: string;
}

const ID = /^[A-Z0-9]{1,32}$/;
const TS = /^\d{1,12}\.\d{1,9}$/;

export function encodeThread(thread: SlackThread): ConversationRef {
  return `${SLACK_PREFIX}${thread.team}:${thread.channel}:${thread.threadTs}`;
}

/** The thread a reference names, or undefined for anything not made by `encodeThread`. */
export function decodeThread(ref: ConversationRef): SlackThread | undefined {
  if (!ref.startsWith(SLACK_PREFIX)) return undefined;
  const [team, channel, threadTs, ...rest] = ref.slice(SLACK_PREFIX.length).split(':');
  if (rest.length > 0 || !team || !channel || !threadTs) return undefined;
  if (!ID.test(team) || !ID.test(channel) || !TS.test(threadTs)) return undefined;
  return { team, channel, threadTs };
}
