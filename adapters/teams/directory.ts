/**
 * Where each conversation lives: the service URL to call, the tenant, the kind of conversation and
 * the team it belongs to. Learnt from every inbound activity and kept in the store, because the
 * engine also speaks when nobody just wrote: an approval expires, a wait step comes due, the bot
 * restarts and resumes, another replica handles the click. Keyed by the channel or chat (without
 * the reply chain), written only when something changed.
 */
import type { Store } from '../../src/core/index.ts';
import { baseConversationId } from './conversation-ref.ts';

export interface ConversationPlace {
  readonly serviceUrl: string;
  readonly tenantId?: string;
  /** `channel`, `groupChat` or `personal`, as Teams says. */
  readonly conversationType?: string;
  /** The bot's own account in this conversation (`28:<app id>`), needed to open personal chats. */
  readonly botId?: string;
  /** The team of a channel; member lookups are asked of the team. */
  readonly teamId?: string;
}

const KEY = (base: string) => `teams:conversation:${base}`;
const MEMORY_LIMIT = 5_000;

function same(a: ConversationPlace | undefined, b: ConversationPlace): boolean {
  return (
    !!a &&
    a.serviceUrl === b.serviceUrl &&
    a.tenantId === b.tenantId &&
    a.conversationType === b.conversationType &&
    a.botId === b.botId &&
    a.teamId === b.teamId
  );
}

function isPlace(value: unknown): value is ConversationPlace {
  return !!value && typeof value === 'object' && typeof (value as ConversationPlace).serviceUrl === 'string';
}

export class ConversationDirectory {
  private readonly known = new Map<string, ConversationPlace>();

  constructor(private readonly store: Store) {}

  /** Records where a conversation lives; stores it only when it is new or changed. */
  async remember(conversationId: string, place: ConversationPlace): Promise<void> {
    const base = baseConversationId(conversationId);
    const before = this.known.get(base) ?? (await this.load(base));
    this.keep(base, place);
    if (!same(before, place)) await this.store.putValue(KEY(base), place);
  }

  async find(conversationId: string): Promise<ConversationPlace | undefined> {
    const base = baseConversationId(conversationId);
    return this.known.get(base) ?? (await this.load(base));
  }

  private async load(base: string): Promise<ConversationPlace | undefined> {
    const stored = await this.store.getValue(KEY(base));
    if (!isPlace(stored)) return undefined;
    this.keep(base, stored);
    return stored;
  }

  private keep(base: string, place: ConversationPlace): void {
    this.known.delete(base);
    this.known.set(base, place);
    if (this.known.size > MEMORY_LIMIT) this.known.delete(this.known.keys().next().value!);
  }
}
