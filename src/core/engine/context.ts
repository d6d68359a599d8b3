/**
 * Everything the engine needs, injected (DESIGN convention 7), plus a few helpers every flow uses.
 */
import type { ServerInfo } from '../model/exchange.ts';
import type { Actor, ConversationRef } from '../model/event.ts';
import type { AuditEntry, AuditHead } from '../model/incident.ts';
import type { ChatSurface, ReplyHandle } from '../ports/chat.ts';
import type { Clock } from '../ports/clock.ts';
import type { ExchangeGateway } from '../ports/gateway.ts';
import type { Locale, Translate, Translator } from '../ports/i18n.ts';
import type { EngineObserver } from '../ports/observer.ts';
import type { Store } from '../ports/store.ts';
import type { Catalogue } from './catalogue.ts';
import type { QuestionParser } from '../intent/index.ts';
import type { HealthSetDiscovery } from './discovered-sets.ts';
import { ChatError, HealthbotError } from '../errors.ts';
import type { Policy } from '../approvals/policy.ts';
import { LOCKED_POLICY } from '../approvals/policy.ts';
import type { RestartLimits } from './restart-preconditions.ts';
import { DEFAULT_RESTART_LIMITS } from './restart-preconditions.ts';
import type { RebootWatchSettings } from './reboot-watch.ts';
import { DEFAULT_REBOOT_WATCH } from './reboot-watch.ts';

export interface EngineDeps {
  readonly gateway: ExchangeGateway;
  readonly store: Store;
  readonly catalogue: Catalogue;
  /** The health sets and monitoring items the servers report (composition root); without it, only the catalogue's. */
  readonly discovery?: HealthSetDiscovery;
  readonly translator: Translator;
  /** Understands questions in the supported languages (lexicons from locales/, read by the composition root). */
  readonly parser: QuestionParser;
  readonly clock: Clock;
  readonly newId: () => string;
  /** The chat surface that owns a conversation (the composition root routes by adapter). */
  readonly surfaces: (conversation: ConversationRef) => ChatSurface | undefined;
  /** Who may ask, request and approve; without one, nobody may change anything. */
  readonly policy?: Policy;
  /** How long a state-changing operation may run before its outcome counts as unknown. */
  readonly actionTimeoutMs?: number;
  /** When a passive copy is too far behind to take over for a Mailbox server being restarted. */
  readonly restartLimits?: RestartLimits;
  /** How a server restart is waited out (poll, settle time, limit). */
  readonly reboot?: RebootWatchSettings;
  /** Who an escalated incident is handed to (HEALTHBOT_ESCALATION_TARGET); without one, the card says none is configured. */
  readonly escalationTarget?: string;
  /** IANA time zone for times on cards; UTC unless configured. */
  readonly timeZone?: string;
  /** This process among replicas (host, pid and a random part); it owns the executions it starts. */
  readonly instanceId?: string;
  /** How long an execution's lease lasts without renewal; `tick` renews it while the operation runs. */
  readonly executionLeaseMs?: number;
  readonly observer?: EngineObserver;
  /**
   * Where anchors of the audit chain's head go, outside the database (the log and the anchor
   * file, from the composition root). Without one, anchors go only to chat threads.
   */
  readonly anchorSink?: (
    anchor: AuditHead & { readonly reason: string; readonly incidentId?: string },
  ) => Promise<void>;
}

export interface EngineContext extends EngineDeps {
  readonly timeZone: string;
  readonly observer: EngineObserver;
  readonly policy: Policy;
  readonly actionTimeoutMs: number;
  readonly restartLimits: RestartLimits;
  readonly reboot: RebootWatchSettings;
  readonly instanceId: string;
  readonly executionLeaseMs: number;
  /** Executions running in this process (approval ids): their leases are renewed on every tick. */
  readonly running: Set<string>;
  /** Incidents being diagnosed in this process (ids): a sweep leaves them alone. */
  readonly diagnosing: Set<string>;
  /** Per-process bookkeeping of the sweep: when it last ran (by the injected clock). */
  readonly sweep: { lastAt?: number };
  /** Texts in `locale`, any tag an incident or actor carries (`de-DE`, `en`, ...), resolved to a supported one. */
  t(locale: string): Translate;
  /** The supported locale for a tag (unsupported or missing: English). */
  resolveLocale(tag: string | undefined): Locale;
  /**
   * Texts in the language of an incident (the language its cards are written in) or of a person
   * (their platform's language): the one way flows pick a language.
   */
  tFor(subject: { readonly locale?: string | undefined }): Translate;
  servers(): Promise<readonly ServerInfo[]>;
  audit(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  surface(conversation: ConversationRef): ChatSurface;
  localeOf(actor: Actor): Locale;
  /** The event being answered, when this context is an event's (see `answering`); absent for timers and recovery. */
  readonly reply?: ReplyHandle;
}

/** A chat platform's failures become ChatErrors, so they are told apart from store and Exchange failures. */
function reportingChatFailures(surface: ChatSurface): ChatSurface {
  const wrap = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (err instanceof HealthbotError) throw err;
      throw new ChatError(
        'chat',
        `chat platform: ${what} failed: ${err instanceof Error ? err.message : String(err)}`,
        {},
        { cause: err },
      );
    }
  };
  return {
    capabilities: surface.capabilities,
    post: (conversation, card, reply) => wrap('post', () => surface.post(conversation, card, reply)),
    update: (conversation, ref, card, reply) => wrap('update', () => surface.update(conversation, ref, card, reply)),
    notify: (conversation, actor, card, reply) =>
      wrap('notify', () => surface.notify(conversation, actor, card, reply)),
  };
}

/** Every surface call gets `reply`, unless its caller gave one. */
function replyingWith(surface: ChatSurface, reply: ReplyHandle): ChatSurface {
  return {
    capabilities: surface.capabilities,
    post: (conversation, card, given) => surface.post(conversation, card, given ?? reply),
    update: (conversation, ref, card, given) => surface.update(conversation, ref, card, given ?? reply),
    notify: (conversation, actor, card, given) => surface.notify(conversation, actor, card, given ?? reply),
  };
}

/**
 * The context one event is handled in: the same engine (its sets, clock and store are shared, not
 * copied), with every surface call carrying the event's reply handle. Passed down explicitly as
 * `ctx`, like everything else the flows use; work the event starts (a diagnosis) keeps it.
 */
export function answering(ctx: EngineContext, reply: ReplyHandle | undefined): EngineContext {
  if (!reply) return ctx;
  return { ...ctx, reply, surface: (conversation) => replyingWith(ctx.surface(conversation), reply) };
}

export function createContext(deps: EngineDeps): EngineContext {
  return {
    ...deps,
    timeZone: deps.timeZone ?? 'UTC',
    observer: deps.observer ?? {},
    policy: deps.policy ?? LOCKED_POLICY,
    actionTimeoutMs: deps.actionTimeoutMs ?? 10 * 60_000,
    restartLimits: deps.restartLimits ?? DEFAULT_RESTART_LIMITS,
    reboot: deps.reboot ?? DEFAULT_REBOOT_WATCH,
    instanceId: deps.instanceId ?? `engine-${deps.newId()}`,
    executionLeaseMs: deps.executionLeaseMs ?? 60_000,
    running: new Set<string>(),
    diagnosing: new Set<string>(),
    sweep: {},
    t: (locale) => deps.translator.for(deps.translator.resolve(locale)),
    resolveLocale: (tag) => deps.translator.resolve(tag),
    tFor: (subject) => deps.translator.for(deps.translator.resolve(subject.locale)),
    servers: () => deps.gateway.listServers(),
    async audit(entry) {
      await deps.store.appendAudit({ ...entry, at: deps.clock.now().toISOString() });
    },
    surface(conversation) {
      const surface = deps.surfaces(conversation);
      if (!surface) throw new Error(`no chat surface for conversation ${conversation}`);
      return reportingChatFailures(surface);
    },
    localeOf: (actor) => deps.translator.resolve(actor.locale),
  };
}
