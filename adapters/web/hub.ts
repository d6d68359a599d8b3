/**
 * The web chat's channel: every message and card in order, kept in memory, and the browsers
 * listening on server-sent events. A card updated by the engine is replaced where it stands and
 * pushed again to everyone; a private notice goes only to the pages of the person it is for.
 */
import type { Response } from 'express';
import type { Card } from '../../src/core/index.ts';

export interface WebMessage {
  readonly id: string;
  /** The thread's root message id; equal to `id` for a root. */
  readonly thread: string;
  readonly author: { readonly id: string; readonly name: string; readonly bot: boolean };
  readonly at: string;
  /** Plain text for people, rendered card HTML for the bot. */
  readonly text?: string;
  readonly html?: string;
  /** Only this persona sees it. */
  readonly privateTo?: string;
  /** A notice about the lab for every window: it was reset to this scenario by this person. */
  readonly labReset?: { readonly scenario: string; readonly by: string };
  readonly version: number;
}

/** A message as the hub keeps it: a bot card stays a card, drawn for each viewer when sent. */
export interface HubMessage extends WebMessage {
  readonly card?: Card;
}

/** What one persona is shown of a message (the card drawn with the buttons they can use). */
export type ViewFor = (message: HubMessage, persona: string) => WebMessage;

interface Listener {
  readonly persona: string;
  readonly res: Response;
}

export class Hub {
  private readonly messages = new Map<string, HubMessage>();
  private readonly listeners = new Set<Listener>();
  private seq = 0;
  // Versions order a message's updates in the page. They start from the clock, not from 1, so an
  // update after a restart of the bot still outranks what an open page already shows.
  private version = Date.now();

  constructor(
    private readonly view: ViewFor,
    private readonly limit = 2000,
  ) {}

  nextId(prefix: string): string {
    return `${prefix}${(++this.seq).toString(36)}${Date.now().toString(36)}`;
  }

  nextVersion(): number {
    return ++this.version;
  }

  /** What a persona may see, in order. */
  /**
   * What `persona` may see, drawn for them; with `thread`, only that conversation's messages. The
   * thread is picked before drawing: drawing every card of a long history for each poll of one
   * incident made a bot with hundreds of open incidents slower with every question.
   */
  visibleTo(persona: string, thread?: string): WebMessage[] {
    const shown: WebMessage[] = [];
    for (const m of this.messages.values())
      if ((!m.privateTo || m.privateTo === persona) && (thread === undefined || m.thread === thread))
        shown.push(this.view(m, persona));
    return shown;
  }

  get(id: string): HubMessage | undefined {
    return this.messages.get(id);
  }

  put(message: HubMessage): void {
    this.messages.set(message.id, message);
    // Old messages leave memory first; the store keeps the incidents, this is only the screen.
    while (this.messages.size > this.limit) this.messages.delete(this.messages.keys().next().value!);
    for (const l of this.listeners)
      if (!message.privateTo || message.privateTo === l.persona) send(l.res, this.view(message, l.persona));
  }

  listen(persona: string, res: Response): () => void {
    const listener = { persona, res };
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  closeAll(): void {
    for (const l of this.listeners) l.res.end();
    this.listeners.clear();
  }
}

function send(res: Response, message: WebMessage): void {
  res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
}
