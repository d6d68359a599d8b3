/**
 * Reading what Teams sends: the parts of an activity the adapter uses, checked before use (the
 * body is JSON from the network), and the text a person meant once the bot's mention is removed.
 */
import { cleanText } from '../../src/core/index.ts';
import { isPlausibleConversationId } from './conversation-ref.ts';
import type { ConversationPlace } from './directory.ts';
import { ACTION_KEY } from './render.ts';

export interface Account {
  readonly id: string;
  readonly name?: string;
  readonly aadObjectId?: string;
}

/** The fields of a Bot Framework activity the adapter reads. */
export interface TeamsActivity {
  readonly type: string;
  readonly id?: string;
  readonly name?: string;
  readonly text?: string;
  readonly value?: unknown;
  readonly replyToId?: string;
  readonly serviceUrl: string;
  readonly channelId: string;
  readonly locale?: string;
  readonly from: Account;
  readonly recipient: Account;
  readonly conversation: {
    readonly id: string;
    readonly tenantId?: string;
    readonly conversationType?: string;
    readonly isGroup?: boolean;
  };
  readonly channelData?: {
    readonly team?: { readonly id?: string };
    readonly tenant?: { readonly id?: string };
    readonly eventType?: string;
  };
  readonly entities?: readonly {
    readonly type?: string;
    readonly text?: string;
    readonly mentioned?: { readonly id?: string };
  }[];
  readonly membersAdded?: readonly Account[];
  /** installationUpdate: `add` or `remove`. */
  readonly action?: string;
}

const MAX_TEXT = 4_000;
const MAX_ACTION_ID = 200;

function isAccount(value: unknown): value is Account {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as Account).id === 'string' &&
    (value as Account).id.length > 0
  );
}

/** Does this JSON body look like a Bot Framework activity (as opposed to another route's body)? */
export function looksLikeActivity(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return typeof b.type === 'string' && typeof b.channelId === 'string' && typeof b.serviceUrl === 'string';
}

/** Optional fields the handlers read as strings; one of another type (a fuzzer's `locale: {}`) is dropped. */
const STRING_FIELDS = ['id', 'name', 'text', 'replyToId', 'locale', 'action'] as const;

/** The activity when it carries what every handler needs; undefined otherwise. */
export function readActivity(body: unknown): TeamsActivity | undefined {
  if (!looksLikeActivity(body)) return undefined;
  const a = body as TeamsActivity;
  if (!isAccount(a.from) || !isAccount(a.recipient)) return undefined;
  if (!a.conversation || !isPlausibleConversationId(a.conversation.id)) return undefined;
  const wrong = STRING_FIELDS.filter((k) => a[k] !== undefined && typeof a[k] !== 'string');
  if (wrong.length === 0) return a;
  const copy: Record<string, unknown> = { ...a };
  for (const k of wrong) delete copy[k];
  return copy as unknown as TeamsActivity;
}

/** Where the activity's conversation lives; every value cleaned, since it is stored as it is. */
export function placeOf(activity: TeamsActivity): ConversationPlace {
  const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  const teamId = activity.channelData?.team?.id;
  const conversationType = activity.conversation.conversationType;
  return {
    serviceUrl: cleanText(activity.serviceUrl),
    botId: cleanText(activity.recipient.id),
    ...(typeof tenantId === 'string' && tenantId ? { tenantId: cleanText(tenantId) } : {}),
    ...(typeof conversationType === 'string' && conversationType
      ? { conversationType: cleanText(conversationType) }
      : {}),
    ...(typeof teamId === 'string' && teamId ? { teamId: cleanText(teamId) } : {}),
  };
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
};

/**
 * The question as typed: the bot's own mention removed (however Teams spelled it), other people's
 * mentions reduced to their names, formatting tags dropped, a few entities decoded.
 */
export function messageText(activity: TeamsActivity): string {
  let text = typeof activity.text === 'string' ? activity.text.slice(0, MAX_TEXT * 2) : '';
  for (const e of activity.entities ?? []) {
    if (e?.type === 'mention' && e.mentioned?.id === activity.recipient.id && typeof e.text === 'string' && e.text) {
      text = text.split(e.text).join(' ');
    }
  }
  // A mention of the bot that carried no entity still arrives as <at>…</at>: the first one in a
  // message addressed to the bot is the address, not part of the question.
  const botName = activity.recipient.name;
  if (botName)
    text = text.replace(new RegExp(`<at>\\s*${botName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*</at>`, 'i'), ' ');
  text = text.replace(/<at>(.*?)<\/at>/gi, '$1');
  text = text.replace(/<\/?[a-z][^>]*>/gi, ' ');
  text = text.replace(/&(nbsp|amp|lt|gt|quot|#39|apos);/g, (m) => ENTITIES[m] ?? m);
  return cleanText(text).replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
}

function actionIdIn(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const id = (data as Record<string, unknown>)[ACTION_KEY];
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ACTION_ID ? id : undefined;
}

/** The action id of an `adaptiveCard/action` invoke (Action.Execute). */
export function executedActionId(activity: TeamsActivity): string | undefined {
  const value = activity.value as { action?: { type?: unknown; data?: unknown } } | undefined;
  if (!value || typeof value !== 'object' || !value.action || value.action.type !== 'Action.Execute') return undefined;
  return actionIdIn(value.action.data);
}

/** The action id of an Action.Submit fallback, which arrives as a message whose value is the data. */
export function submittedActionId(activity: TeamsActivity): string | undefined {
  return activity.type === 'message' ? actionIdIn(activity.value) : undefined;
}

/** "@healthbot alerts here" (or German "Alarme hier"): this conversation receives alerts. */
export function isAlertsHere(text: string): boolean {
  return /^(alerts?|alarme?|meldungen)\s+(here|hierher|hier)[.!]?$/i.test(text.trim());
}

/** Was the bot itself added (a team installed it, a chat added it)? */
export function botWasAdded(activity: TeamsActivity): boolean {
  if (activity.type === 'installationUpdate') return activity.action === 'add';
  return (
    activity.type === 'conversationUpdate' &&
    (activity.membersAdded ?? []).some((m) => isAccount(m) && m.id === activity.recipient.id)
  );
}
