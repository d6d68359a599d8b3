import type { Capabilities } from '../model/card.ts';
import type { ConversationRef } from '../model/event.ts';
import type { Card } from '../model/card.ts';
import type { ChatSurface, MessageRef } from './chat.ts';
import type { ChatEngine } from './engine.ts';

/**
 * A Node/express request handler, as the adapter hands it to the composition root for mounting.
 * Typed loosely on purpose: core knows no HTTP library, and any `(req, res, next)` function fits.
 */
export type AdapterRouter = (req: never, res: never, next: never) => unknown;

/**
 * One chat platform, as the composition root sees it: built from its configuration, mounted (its
 * router, when it has one), started with the engine, drained and closed. Slack, Teams and the web
 * chat implement it; a fourth platform is one more implementation and one more registry row.
 *
 * Guarantees (checked for every adapter by test/adapters/contract.ts):
 * - `owns(ref)` is true exactly for the conversation references this adapter hands to the engine,
 *   and `surface` answers in those conversations.
 * - `surface.notify` reaches only the person named, never the rest of the conversation.
 * - Nothing reaches the engine before `start(engine)`.
 * - `idle()` resolves only when everything accepted so far has been handled: events waiting in a
 *   receiver's backlog, the engine's work on them, and the platform calls that work caused.
 * - After `close()` the adapter accepts nothing more (new requests are refused, nothing is handed
 *   to the engine), and `close()` itself waits for the work in flight.
 */
export interface ChatAdapter {
  /** The platform's short name (`slack`, `teams`, `web`), for logs and metrics. */
  readonly name: string;
  /** What the platform can do, the same as `surface.capabilities`. */
  readonly capabilities: Capabilities;
  owns(conversation: ConversationRef): boolean;
  readonly surface: ChatSurface;
  /** Mounted on the bot's one HTTP port before anything parses bodies; absent for socket-only platforms. */
  readonly router?: AdapterRouter;
  /**
   * POST paths the router answers in full by itself (it reads the body, checks it and answers):
   * the bot's HTTP server hands these requests to it straight away, ahead of the app's routing,
   * because an acknowledgement a platform waits for should cost as little as it can (issue 20).
   */
  readonly ownPaths?: readonly string[];
  /** A line for the start-up log: where it listens, in which mode. */
  readonly description?: string;
  /**
   * Posts a card as a new message in this platform's alerts channel (Slack's configured channel,
   * Teams' "alerts here", the web chat's Alerts thread) and answers where it went: the conversation
   * under it, where its diagnosis and follow-ups live. Absent where the platform has no alerts
   * channel configured; throws (and posts nothing) when the channel is not chosen yet.
   */
  postAlert?(card: Card): Promise<{ readonly conversation: ConversationRef; readonly messageRef: MessageRef }>;
  start(engine: ChatEngine): Promise<void>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The adapter that owns `conversation`, out of those the composition root registered. */
export function surfaceFor(adapters: readonly ChatAdapter[], conversation: ConversationRef): ChatSurface | undefined {
  return adapters.find((a) => a.owns(conversation))?.surface;
}
