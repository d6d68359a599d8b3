/**
 * Alerts into a channel: the conversation that receives them is remembered in the store (so every
 * replica and every restart knows it), captured when the bot is added to a team or chat (only if
 * none was chosen yet) or when someone says "@Healthbot alerts here" (which always wins).
 * Each alert opens a new thread in a channel, whose reply chain is then a conversation of its own:
 * a follow-up typed under the alert reaches the engine with that thread's reference.
 */
import type { Actor, Card, Clock, ConversationRef, MessageRef, Store } from '../../src/core/index.ts';
import { baseConversationId, encodeRef, threadConversationId } from './conversation-ref.ts';
import type { ConversationDirectory } from './directory.ts';
import type { TeamsActivity } from './inbound.ts';
import { placeOf } from './inbound.ts';
import type { TeamsSurface } from './surface.ts';

export const ALERTS_KEY = 'teams:alerts';

export interface AlertTarget {
  /** The channel (without a reply chain) or chat that receives alerts. */
  readonly conversationId: string;
  readonly conversationType?: string;
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly setBy?: string;
  readonly setAt: string;
}

export interface SentAlert {
  /** The conversation a follow-up to this alert arrives in (the new thread, in a channel). */
  readonly conversation: ConversationRef;
  readonly messageRef: MessageRef;
}

export class NoAlertChannelError extends Error {
  readonly code = 'teams-no-alert-channel';
  constructor() {
    super(
      'No Teams conversation receives alerts yet: add Healthbot to a team, or say "@Healthbot alerts here" in the channel that should.',
    );
    this.name = 'NoAlertChannelError';
  }
}

function isTarget(value: unknown): value is AlertTarget {
  const t = value as AlertTarget | undefined;
  return !!t && typeof t.conversationId === 'string' && typeof t.serviceUrl === 'string';
}

export class Alerts {
  constructor(
    private readonly store: Store,
    private readonly surface: TeamsSurface,
    private readonly directory: ConversationDirectory,
    private readonly clock: Clock,
  ) {}

  async target(): Promise<AlertTarget | undefined> {
    const value = await this.store.getValue(ALERTS_KEY);
    return isTarget(value) ? value : undefined;
  }

  /**
   * Makes the activity's conversation the alerts target. Without `overwrite`, an existing target
   * stays (adding the bot to a second team must not steal the alerts). Returns whether it was stored.
   */
  async capture(activity: TeamsActivity, options: { overwrite: boolean; setBy?: Actor }): Promise<boolean> {
    if (!options.overwrite && (await this.target())) return false;
    const place = placeOf(activity);
    const target: AlertTarget = {
      conversationId: baseConversationId(activity.conversation.id),
      serviceUrl: place.serviceUrl,
      setAt: this.clock.now().toISOString(),
      ...(place.conversationType ? { conversationType: place.conversationType } : {}),
      ...(place.tenantId ? { tenantId: place.tenantId } : {}),
      ...(options.setBy ? { setBy: options.setBy.directoryId ?? options.setBy.userId } : {}),
    };
    await this.store.putValue(ALERTS_KEY, target);
    return true;
  }

  async send(card: Card): Promise<SentAlert> {
    const target = await this.target();
    if (!target) throw new NoAlertChannelError();
    // The directory may not know the channel yet on this replica (or after a wiped store).
    if (!(await this.directory.find(target.conversationId))) {
      await this.directory.remember(target.conversationId, {
        serviceUrl: target.serviceUrl,
        ...(target.tenantId ? { tenantId: target.tenantId } : {}),
        ...(target.conversationType ? { conversationType: target.conversationType } : {}),
      });
    }
    const messageRef = await this.surface.postTo(target.conversationId, card);
    const conversationId =
      target.conversationType === 'channel'
        ? threadConversationId(target.conversationId, messageRef)
        : target.conversationId;
    return { conversation: encodeRef(conversationId), messageRef };
  }
}
