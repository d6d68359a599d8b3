/**
 * The Bot Connector service of a Teams tenant, on nock: posts get ids, updates replace what a
 * message shows, member lookups answer from a roster, personal chats open on request. Every call
 * is recorded; faults can be queued for the next matching calls (429 with Retry-After, 502, ...).
 * The network is closed except for loopback, so a call the test did not expect fails loudly.
 */
import nock from 'nock';

export const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const ORIGIN = 'https://smba.trafficmanager.net';
const BASE = '/emea/v3/conversations';

export interface Recorded {
  readonly method: 'POST' | 'PUT' | 'GET';
  readonly kind: 'send' | 'update' | 'member' | 'create';
  readonly conversationId: string;
  readonly activityId?: string;
  readonly memberId?: string;
  readonly body?: Record<string, unknown>;
  readonly authorization?: string;
}

export interface Fault {
  readonly kind: Recorded['kind'];
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** How many matching calls fail (default 1). */
  times?: number;
}

export interface RosterEntry {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly userPrincipalName?: string;
  readonly email?: string;
}

export class FakeTeams {
  readonly calls: Recorded[] = [];
  /** What each message shows now (its last posted or updated body). */
  readonly messages = new Map<string, { conversationId: string; body: Record<string, unknown> }>();
  readonly roster = new Map<string, RosterEntry>();
  private readonly faults: Fault[] = [];
  private next = 1;

  constructor(people: readonly RosterEntry[] = []) {
    for (const p of people) this.roster.set(p.id, p);
  }

  install(): this {
    const scope = nock(ORIGIN).persist();
    // nock hands the request to `this` of a classic function, so the fake's method is bound first.
    const respond = this.answer.bind(this);
    const answer = (kind: Recorded['kind'], method: Recorded['method']) =>
      function (this: { req: { headers: Record<string, unknown> } }, uri: string, body: unknown) {
        return respond(kind, method, uri, body as Record<string, unknown> | undefined, this.req.headers.authorization);
      };
    scope.post(/^\/emea\/v3\/conversations\/[^/]+\/activities$/).reply(answer('send', 'POST'));
    scope.put(/^\/emea\/v3\/conversations\/[^/]+\/activities\/[^/]+$/).reply(answer('update', 'PUT'));
    scope.get(/^\/emea\/v3\/conversations\/[^/]+\/members\/[^/]+$/).reply(answer('member', 'GET'));
    scope.post(/^\/emea\/v3\/conversations$/).reply(answer('create', 'POST'));
    return this;
  }

  fail(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Posts (new messages) in a conversation, oldest first. */
  sends(conversationId?: string): Recorded[] {
    return this.calls.filter((c) => c.kind === 'send' && (!conversationId || c.conversationId === conversationId));
  }

  updates(activityId?: string): Recorded[] {
    return this.calls.filter((c) => c.kind === 'update' && (!activityId || c.activityId === activityId));
  }

  /** The Adaptive Card a message shows now. */
  card(activityId: string): Record<string, unknown> {
    const m = this.messages.get(activityId);
    if (!m) throw new Error(`no message ${activityId}; known: ${[...this.messages.keys()].join(', ')}`);
    return cardIn(m.body);
  }

  /** Ids of the messages in a conversation whose card title matches. */
  find(match: RegExp, conversationId?: string): string[] {
    return [...this.messages]
      .filter(
        ([, m]) => (!conversationId || m.conversationId === conversationId) && match.test(titleOf(cardIn(m.body))),
      )
      .map(([id]) => id);
  }

  private answer(
    kind: Recorded['kind'],
    method: Recorded['method'],
    uri: string,
    body: Record<string, unknown> | undefined,
    authorization: unknown,
  ): [number, unknown, Record<string, string>?] {
    const parts = uri
      .slice(BASE.length + 1)
      .split('/')
      .map(decodeURIComponent);
    const conversationId = parts[0] ?? '';
    const record: Recorded = {
      method,
      kind,
      conversationId,
      ...(kind === 'update' ? { activityId: parts[2]! } : {}),
      ...(kind === 'member' ? { memberId: parts[2]! } : {}),
      ...(body ? { body } : {}),
      ...(typeof authorization === 'string' ? { authorization } : {}),
    };
    this.calls.push(record);
    const fault = this.faults.find((f) => f.kind === kind && (f.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      return [fault.status, { error: { code: 'Fault', message: `injected ${fault.status}` } }, fault.headers ?? {}];
    }
    switch (kind) {
      case 'send': {
        const id = `17324568${String(this.next++).padStart(5, '0')}`;
        this.messages.set(id, { conversationId, body: body ?? {} });
        return [201, { id }];
      }
      case 'update':
        this.messages.set(record.activityId!, { conversationId, body: body ?? {} });
        return [200, { id: record.activityId }];
      case 'member': {
        const member = this.roster.get(record.memberId!);
        return member
          ? [200, member]
          : [404, { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } }];
      }
      case 'create': {
        const members = (body?.members as { id: string }[] | undefined) ?? [];
        return [201, { id: `a:personal-${members[0]?.id ?? 'unknown'}` }];
      }
    }
  }
}

export function cardIn(body: Record<string, unknown>): Record<string, unknown> {
  const attachments = body.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined;
  const card = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!card) throw new Error(`no Adaptive Card in ${JSON.stringify(body).slice(0, 200)}`);
  return card;
}

/** The title line of a rendered card (the first TextBlock of its header). */
export function titleOf(card: Record<string, unknown>): string {
  const header = (card.body as { items?: { text?: string }[] }[])[0];
  return header?.items?.[0]?.text ?? '';
}

/** Every string a person would read on a card, in order, backslash escapes undone. */
export function textOf(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n.text === 'string') out.push(n.text);
    if (n.type === 'FactSet')
      for (const f of n.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
    for (const [k, v] of Object.entries(n)) if (k !== 'facts' && typeof v === 'object') walk(v);
  };
  walk(card);
  return out.join('\n').replace(/\\(.)/g, '$1');
}

/** Every button on a card with the action id it carries (confirm steps included). */
export function buttonsOf(card: unknown): { title: string; actionId: string; type: string }[] {
  const out: { title: string; actionId: string; type: string }[] = [];
  const walk = (node: unknown, outer?: string) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, outer));
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute')
      out.push({
        title: outer ?? String(n.title),
        actionId: String((n.data as Record<string, unknown>).healthbotAction),
        type: 'Action.Execute',
      });
    if (n.type === 'Action.ShowCard') return walk((n.card as Record<string, unknown>).actions, String(n.title));
    for (const [k, v] of Object.entries(n)) if (k !== 'fallback' && typeof v === 'object') walk(v, outer);
  };
  walk((card as Record<string, unknown>).actions);
  return out;
}

export function button(card: unknown, match: RegExp): string {
  const b = buttonsOf(card).find((x) => match.test(x.title));
  if (!b)
    throw new Error(
      `no button ${match} among ${buttonsOf(card)
        .map((x) => x.title)
        .join(', ')}`,
    );
  return b.actionId;
}
