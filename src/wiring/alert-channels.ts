/**
 * The alerts channel of each configured platform, as the alert intake sees it: the web chat's
 * Alerts thread, Teams' "alerts here" conversation, Slack's SLACK_ALERTS_CHANNEL.
 */
import type { Card, ChatSurface, ConversationRef } from '../core/index.ts';
import type { AlertChannel } from '../core/alerts/index.ts';

interface Sender {
  readonly surface: ChatSurface;
  sendAlert(card: Card): Promise<{ conversation: ConversationRef; messageRef: string }>;
}

export function alertChannel(name: string, adapter: Sender): AlertChannel {
  return {
    name,
    post: (card) => adapter.sendAlert(card),
    update: (posted, card) => adapter.surface.update(posted.conversation, posted.messageRef, card),
  };
}

export function slackAlertChannel(channel: string, adapter: { readonly surface: ChatSurface; sendAlert(channel: string, card: Card): Promise<{ conversation: ConversationRef; messageRef: string }> }): AlertChannel {
  return alertChannel('slack', { surface: adapter.surface, sendAlert: (card) => adapter.sendAlert(channel, card) });
}
