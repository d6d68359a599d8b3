/**
 * A fourth chat platform that lives in memory, for tests only. It implements the core's
 * `ChatAdapter` port and nothing else of the bot knows about it: that it passes the adapter
 * contract without a change to core is the proof that the port is the whole seam.
 *
 * Its "platform" is a list of messages per conversation; `receive` is the platform delivering a
 * message or a click, acknowledged at once and worked on after, like the real adapters.
 */
import type {
  Actor,
  Capabilities,
  Card,
  ChatAdapter,
  ChatEngine,
  ChatSurface,
  ConversationRef,
  InboundEvent,
} from '../../src/core/index.ts';

export interface MemoryMessage {
  readonly id: string;
  readonly conversation: ConversationRef;
  card: Card;
  readonly privateTo?: string;
}

/** An event as the platform delivers it; the adapter gives it an id when it has none. */
export type Delivered = {
  [K in InboundEvent['kind']]: Omit<Extract<InboundEvent, { kind: K }>, 'eventId'> & { eventId?: string };
}[InboundEvent['kind']];

export interface MemoryAdapter extends ChatAdapter {
  readonly messages: readonly MemoryMessage[];
  /** The platform hands over an event; false when the adapter is closed or not started (refused). */
  receive(event: Delivered): boolean;
}

const PREFIX = 'mem:';

export function createMemoryAdapter(): MemoryAdapter {
  const messages: MemoryMessage[] = [];
  const backlog: InboundEvent[] = [];
  const inFlight = new Set<Promise<void>>();
  let engine: ChatEngine | undefined;
  let closed = false;
  let seq = 0;
  const capabilities: Capabilities = { updateInPlace: true, ephemeral: true, threads: true, buttons: true };

  const surface: ChatSurface = {
    capabilities,
    async post(conversation, card) {
      const id = `m${++seq}`;
      messages.push({ id, conversation, card });
      return id;
    },
    async update(conversation, ref, card) {
      const m = messages.find((x) => x.id === ref && x.conversation === conversation);
      if (!m) throw new Error(`no message ${ref} in ${conversation}`);
      m.card = card;
    },
    async notify(conversation, actor: Actor, card) {
      messages.push({ id: `n${++seq}`, conversation, card, privateTo: actor.userId });
    },
  };

  // The receiver's backlog: events wait here for the next turn, as a platform's webhook queue would.
  const drain = () => {
    const event = backlog.shift();
    if (!event || !engine) return;
    const work = engine
      .handle(event)
      .catch(() => undefined)
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
    if (backlog.length > 0) setImmediate(drain);
  };

  return {
    name: 'memory',
    capabilities,
    surface,
    messages,
    owns: (ref) => ref.startsWith(PREFIX),
    receive(event) {
      if (closed || !engine) return false;
      backlog.push({ ...event, eventId: event.eventId ?? `mem-${++seq}` } as InboundEvent);
      if (backlog.length === 1) setImmediate(drain);
      return true;
    },
    async start(given) {
      engine = given;
    },
    async idle() {
      while (backlog.length > 0 || inFlight.size > 0) {
        if (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        else await new Promise((r) => setImmediate(r));
      }
    },
    async close() {
      closed = true;
      await this.idle();
    },
  };
}

export const memoryConversation = (name: string): ConversationRef => `${PREFIX}${name}`;
