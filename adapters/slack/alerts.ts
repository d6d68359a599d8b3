/**
 * Alert cards in the configured Slack channel (SLACK_ALERTS_CHANNEL): each alert is a new message
 * in the channel, and its thread is the conversation where the diagnosis and follow-ups go.
 */
import type { webApi } from '@slack/bolt';
import type { Card, ConversationRef } from '../../src/core/index.ts';
import { renderBlocks } from './blocks.ts';
import { encodeThread } from './conversation.ts';

export function slackAlertSender(client: webApi.WebClient) {
  let team: string | undefined;
  return async (channel: string, card: Card): Promise<{ conversation: ConversationRef; messageRef: string }> => {
    // The workspace id names the thread like every other Slack conversation; read once.
    team ??= (await client.auth.test()).team_id;
    if (!team) throw new Error('auth.test returned no team id');
    const message = renderBlocks(card);
    const r = await client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!r.ts) throw new Error('chat.postMessage returned no ts');
    return { conversation: encodeThread({ team, channel, threadTs: r.ts }), messageRef: r.ts };
  };
}
