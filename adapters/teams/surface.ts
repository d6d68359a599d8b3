/**
 * The engine's ChatSurface on Teams.
 *
 * Capabilities, honestly:
 * - updateInPlace: yes, updateActivity replaces a card for everyone.
 * - threads: yes in channels (the conversation id names the reply chain); chats have none, and
 *   posting to them simply appends.
 * - ephemeral: Teams has no message only one member of a channel sees. `notify` keeps the port's
 *   promise (only that person sees it) by other means: in answer to a click, the notice rides on
 *   the invoke response, which Teams shows to the clicker alone; otherwise it goes to the person's
 *   personal chat with the bot. It never falls back to the shared conversation. If neither way is
 *   open (no personal chat can be created), the notice is logged and dropped, because telling the
 *   whole channel "you may not approve this" is worse than silence.
 */
import type { Actor, Capabilities, Card, ChatSurface, ConversationRef, MessageRef } from '../../src/core/index.ts';
import type { Connector } from './connector.ts';
import { decodeRef } from './conversation-ref.ts';
import type { ConversationDirectory, ConversationPlace } from './directory.ts';
import type { Identities } from './identity.ts';
import { invokeOf } from './invoke.ts';
import type { Outbox } from './outbox.ts';
import { cardMessage, renderCard } from './render.ts';
import { failureOf, withRetry } from './retry.ts';
import type { Clock } from '../../src/core/index.ts';

export type Log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: object) => void;

export interface TeamsSurface extends ChatSurface {
  /** The newest card the engine asked a message to show, if this process knows it. */
  cardOf(messageId: MessageRef): Card | undefined;
  /** Posts to a conversation id directly (alerts start new threads in a channel). */
  postTo(conversationId: string, card: Card): Promise<MessageRef>;
}

export interface SurfaceDeps {
  readonly connector: Connector;
  readonly outbox: Outbox;
  readonly directory: ConversationDirectory;
  readonly identities: Identities;
  readonly clock: Clock;
  readonly log: Log;
}

const CARD_MEMORY = 2_000;

export function createTeamsSurface(deps: SurfaceDeps): TeamsSurface {
  const { connector, outbox, directory, identities, log } = deps;
  const cards = new Map<MessageRef, Card>();
  const personalChats = new Map<string, string>();

  const remember = (id: MessageRef, card: Card) => {
    cards.delete(id);
    cards.set(id, card);
    if (cards.size > CARD_MEMORY) cards.delete(cards.keys().next().value!);
  };

  const placeOf = async (conversationId: string): Promise<ConversationPlace> => {
    const place = await directory.find(conversationId);
    // Nothing ever arrived from this conversation (or the store was wiped): no service URL to call.
    if (!place) throw new Error(`no service URL known for Teams conversation ${conversationId.slice(0, 60)}`);
    return place;
  };

  const postTo = async (conversationId: string, card: Card): Promise<MessageRef> => {
    const place = await placeOf(conversationId);
    const message = cardMessage(renderCard(card));
    const id = await outbox.send(
      conversationId,
      () => connector.send(place.serviceUrl, conversationId, message),
      false,
    );
    remember(id, card);
    return id;
  };

  /** The person's personal chat with the bot, opened on first use. */
  const personalChat = async (actor: Actor, place: ConversationPlace): Promise<string | undefined> => {
    const known = personalChats.get(actor.userId);
    if (known) return known;
    const account = identities.accountOf(actor.userId);
    if (!account || !place.botId) return undefined;
    const id = await withRetry(
      () =>
        connector.openPersonalChat(place.serviceUrl, {
          botId: place.botId!,
          userId: account.mri,
          ...((account.tenantId ?? place.tenantId) ? { tenantId: (account.tenantId ?? place.tenantId)! } : {}),
        }),
      // Opening the chat again returns the same chat, so repeating it is harmless.
      { clock: deps.clock, idempotent: true, attempts: 3 },
    );
    personalChats.set(actor.userId, id);
    if (personalChats.size > 10_000) personalChats.delete(personalChats.keys().next().value!);
    return id;
  };

  return {
    capabilities: { updateInPlace: true, ephemeral: true, threads: true, buttons: true } satisfies Capabilities,

    cardOf: (messageId) => cards.get(messageId),
    postTo,

    async post(conversation: ConversationRef, card: Card): Promise<MessageRef> {
      return postTo(decodeRef(conversation), card);
    },

    async update(conversation, ref, card, reply) {
      const conversationId = decodeRef(conversation);
      const invoke = invokeOf(reply);
      if (invoke && invoke.click.conversation === conversation && invoke.click.messageId === ref)
        invoke.offer({ kind: 'card', card });
      remember(ref, card);
      const place = await placeOf(conversationId);
      try {
        await outbox.replace(conversationId, ref, card, (latest) =>
          connector.update(place.serviceUrl, conversationId, ref, cardMessage(renderCard(latest))),
        );
      } catch (err) {
        // Someone deleted the message in Teams: there is no card left to update for anyone, and
        // every later update would fail the same way. Not an error the engine can act on.
        if (failureOf(err).status !== 404) throw err;
        log('warn', 'Teams: a card to update no longer exists (deleted in Teams?)', { message: ref });
      }
    },

    async notify(conversation, actor, card, reply) {
      const invoke = invokeOf(reply);
      if (
        invoke &&
        invoke.click.conversation === conversation &&
        invoke.click.userId === actor.userId &&
        invoke.offer({ kind: 'notice', card })
      )
        return;
      const conversationId = decodeRef(conversation);
      try {
        const place = await placeOf(conversationId);
        if (place.conversationType === 'personal') {
          await postTo(conversationId, card);
          return;
        }
        const chat = await personalChat(actor, place);
        if (!chat) {
          log('warn', 'a notice for one person could not be delivered privately; dropped', { user: actor.userId });
          return;
        }
        const message = cardMessage(renderCard(card));
        await outbox.send(chat, () => connector.send(place.serviceUrl, chat, message), false);
      } catch (err) {
        log('warn', 'a notice for one person could not be delivered privately; dropped', {
          user: actor.userId,
          err: err instanceof Error ? err.message : String(err),
        });
      }
    },
  };
}
