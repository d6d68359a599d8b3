/**
 * The command line as a chat surface: it keeps every message it was asked to post, updates them
 * in place, and prints the final state when the command ends — the way a chat would look after
 * all updates arrived.
 */
import type { Actor, Capabilities, Card, ChatSurface, ConversationRef, MessageRef } from '../core/index.ts';

export interface RecordedMessage {
  readonly ref: MessageRef;
  card: Card;
  updates: number;
  /** Set for notices shown to one person only. */
  readonly privateTo?: string;
}

export class RecordingSurface implements ChatSurface {
  readonly capabilities: Capabilities = { updateInPlace: true, ephemeral: true, threads: false, buttons: true };
  readonly messages: RecordedMessage[] = [];
  private next = 1;

  async post(_conversation: ConversationRef, card: Card): Promise<MessageRef> {
    const ref = `m${this.next++}`;
    this.messages.push({ ref, card, updates: 0 });
    return ref;
  }

  async update(_conversation: ConversationRef, ref: MessageRef, card: Card): Promise<void> {
    const message = this.messages.find((m) => m.ref === ref);
    if (message) {
      message.card = card;
      message.updates++;
    } else {
      // A card posted by an earlier command (another process): show its new state here.
      this.messages.push({ ref, card, updates: 1 });
    }
  }

  async notify(_conversation: ConversationRef, actor: Actor, card: Card): Promise<void> {
    this.messages.push({ ref: `n${this.next++}`, card, updates: 0, privateTo: actor.displayName });
  }
}
