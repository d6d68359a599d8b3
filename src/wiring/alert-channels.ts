/**
 * The alerts channels the alert intake posts to: one per running adapter that has one (the web
 * chat's Alerts thread, Teams' "alerts here" conversation, Slack's SLACK_ALERTS_CHANNEL). Which
 * platform has one is the adapter's own answer (`postAlert`), so no platform is named here.
 */
import type { ChatAdapter } from '../core/index.ts';
import type { AlertChannel } from '../core/alerts/index.ts';

export function alertChannelOf(adapter: Pick<ChatAdapter, 'name' | 'surface' | 'postAlert'>): AlertChannel | undefined {
  const post = adapter.postAlert;
  if (!post) return undefined;
  return {
    name: adapter.name,
    post: (card) => post.call(adapter, card),
    update: (posted, card) => adapter.surface.update(posted.conversation, posted.messageRef, card),
  };
}

export function alertChannelsOf(
  adapters: readonly Pick<ChatAdapter, 'name' | 'surface' | 'postAlert'>[],
): AlertChannel[] {
  return adapters.flatMap((a) => alertChannelOf(a) ?? []);
}
