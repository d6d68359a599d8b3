/**
 * Answering a card click (an `adaptiveCard/action` invoke) within Teams' time limit.
 *
 * Teams waits for the HTTP answer to the invoke and shows its card to the person who clicked; it
 * gives up after a few seconds. The engine, meanwhile, may run an approved restart for minutes. So
 * the click is handed to the engine at once, and the answer is the first of:
 *
 * - the clicked card's new state (the engine updated that very message),
 * - a notice meant for the clicker alone (a refusal: the engine called `notify`), shown as a
 *   banner on top of the unchanged card, so nobody else sees it,
 * - the engine finished without either (the card as it is),
 * - the time budget ran out (the card with a "working" banner; the real result reaches everyone
 *   through updateActivity when the engine gets there).
 *
 * Which engine work belongs to which click is an explicit handle (an InvokeReply) given to the
 * engine with the event, which passes it back on every surface call that handling makes. The
 * surface finds the click it answers from that handle alone, never by guessing from conversation
 * and user, nor from ambient state: two clicks in flight at once (two people on the same card, or
 * one person on two cards) each get their own answer.
 */
import type { Card, ConversationRef, MessageRef, ReplyHandle } from '../../src/core/index.ts';

export type InvokeOutcome =
  | { readonly kind: 'card'; readonly card: Card }
  | { readonly kind: 'notice'; readonly card: Card }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'timeout' };

export interface ClickInfo {
  readonly conversation: ConversationRef;
  readonly userId: string;
  /** The message whose button was clicked (the invoke's replyToId). */
  readonly messageId?: MessageRef;
}

export class PendingInvoke {
  private settle!: (outcome: InvokeOutcome) => void;
  private settled = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly outcome: Promise<InvokeOutcome>;

  constructor(
    readonly click: ClickInfo,
    budgetMs: number,
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    // Wall time on purpose: Teams' deadline is real time, whatever clock the engine runs on.
    this.timer = setTimeout(() => this.offer({ kind: 'timeout' }), budgetMs);
    this.timer.unref?.();
  }

  get open(): boolean {
    return !this.settled;
  }

  /** The first outcome offered wins; later ones are ignored (the caller falls back). */
  offer(outcome: InvokeOutcome): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    this.settle(outcome);
    return true;
  }
}

/** The reply handle of a click: the engine passes it back with every surface call the click causes. */
export class InvokeReply implements ReplyHandle {
  constructor(
    readonly eventId: string,
    readonly invoke: PendingInvoke,
  ) {}
}

/** The click a surface call answers, if its handle is one. */
export function invokeOf(reply: ReplyHandle | undefined): PendingInvoke | undefined {
  return reply instanceof InvokeReply ? reply.invoke : undefined;
}
