/**
 * The engine: one entry point per kind of work. Adapters call `handle`; the composition root
 * calls `tick` on an interval and `recover` once at start; the CLI also decides approvals by id.
 */
import type { InboundEvent } from '../model/event.ts';
import { cleanInboundEvent, cleanText } from '../model/text.ts';
import type { ChatEngine } from '../ports/engine.ts';
import type { ReplyHandle } from '../ports/chat.ts';
import type { ApprovalDecision, DecisionOutcome } from './approval-flow.ts';
import { decideApproval } from './approval-flow.ts';
import type { EngineContext, EngineDeps } from './context.ts';
import { answering, createContext } from './context.ts';
import { onAction } from './on-action.ts';
import { onMessage } from './on-message.ts';
import type { RecoveryReport } from './recover.ts';
import { recoverInterrupted, renewLeases, sweepIfDue } from './recover.ts';
import { tellPrivately } from './reply.ts';
import { failureText } from './failure-text.ts';
import { fireDueTimers } from './timers.ts';
import type { Anchor } from './anchors.ts';
import { anchorHead } from './anchors.ts';
import { noticeCard } from './views/notice.ts';
import { standingCards } from './standing-cards.ts';

export interface Engine extends ChatEngine {
  /** Approve, reject or withdraw by approval id (the CLI's `approve`/`reject`). */
  decide(input: {
    approvalId: string;
    actor: InboundEvent['actor'];
    decision: ApprovalDecision;
    conversation?: string;
  }): Promise<DecisionOutcome>;
  /**
   * Call on an interval: renews the leases of this process's executions, fires due timers
   * (approval expiry, wait steps) and, every SWEEP_INTERVAL_MS of the injected clock, sweeps for
   * what dead processes left behind. Returns how many timers fired.
   */
  tick(): Promise<number>;
  /** Settles what dead processes left behind (see recover.ts). Call once at start. */
  recover(): Promise<RecoveryReport>;
  /**
   * Writes the audit chain's head to the anchor sink when it moved since the last anchor (the
   * composition root calls it at start and on an interval); returns the anchor written, if any.
   */
  anchorAudit(reason: string): Promise<Anchor | undefined>;
  readonly context: EngineContext;
}

export type { EngineDeps } from './context.ts';
export type { ApprovalDecision, DecisionOutcome } from './approval-flow.ts';
export type { RecoveryReport } from './recover.ts';
export type { Anchor } from './anchors.ts';
export { createCatalogue } from './catalogue.ts';
export type { Catalogue, KnownHealthSet } from './catalogue.ts';
export { createDiscovery } from './discovered-sets.ts';
export type { Discovered, HealthSetDiscovery } from './discovered-sets.ts';
export { timelineMarkdown, buildTimeline } from './timeline.ts';
export { SYSTEM_ACTOR } from './system-actor.ts';
export { DEFAULT_REBOOT_WATCH } from './reboot-watch.ts';
export type { RebootWatchSettings } from './reboot-watch.ts';

export function createEngine(deps: EngineDeps): Engine {
  const ctx = createContext(deps);

  async function tell(on: EngineContext, event: InboundEvent, text: string): Promise<void> {
    try {
      await tellPrivately(
        on.surface(event.conversation),
        event.conversation,
        event.actor,
        noticeCard(text, { severity: 'critical' }),
      );
    } catch (err) {
      // The chat platform itself is failing: nothing more can reach the person; the log has it.
      on.observer.error?.('notify', err);
    }
  }

  /** The one path every event's de-duplication goes through (ids are cleaned as `handle` cleans them). */
  const claim = (eventId: string): Promise<boolean> => ctx.store.claimEvent(cleanText(eventId), ctx.clock.now());

  async function handle(input: InboundEvent, reply?: ReplyHandle): Promise<void> {
    // This event's replies carry its handle, passed down with the context (never ambient state).
    const scoped = answering(ctx, reply);
    // The boundary for text from every platform: no NUL or lone surrogate reaches the store (which
    // would refuse it), no bidi control reaches a card. Before the claim, which stores the id too.
    const event = cleanInboundEvent(input);
    const t = scoped.tFor(event.actor);
    // Redeliveries (Slack retries, Teams resends, double clicks carrying the same id) stop here.
    let first: boolean;
    try {
      first = await claim(event.eventId);
    } catch (err) {
      // Not claimed, so nothing was done and the same event may come again: say so, not just log it.
      scoped.observer.error?.('claim', err);
      await tell(scoped, event, t('errors.claim'));
      return;
    }
    if (!first) return;
    try {
      if (event.kind === 'message') await onMessage(scoped, event);
      else await onAction(scoped, event);
    } catch (err) {
      scoped.observer.error?.(event.kind, err);
      const failure = failureText(t, err);
      // The person is told either way; an error record that cannot be written is reported, not dropped.
      await scoped
        .audit({
          type: 'error',
          actor: event.actor,
          data: { where: event.kind, code: failure.code, part: failure.key },
        })
        .catch((auditErr: unknown) => scoped.observer.error?.('audit', auditErr));
      await tell(scoped, event, t(failure.key, failure.vars));
    }
  }

  let anchored: string | undefined;
  async function anchorAudit(reason: string): Promise<Anchor | undefined> {
    const head = await ctx.store.auditHead();
    if (!head || `${head.seq}:${head.hash}` === anchored) return undefined;
    const anchor = await anchorHead(ctx, reason);
    if (anchor) anchored = `${anchor.seq}:${anchor.hash}`;
    return anchor;
  }

  return {
    handle,
    claim,
    anchorAudit,
    decide: (input) => decideApproval(ctx, input),
    async tick() {
      await renewLeases(ctx);
      // The servers' health sets, read again when the interval has passed (by the injected clock).
      // Not awaited: reading every server takes long, and timers must not wait for it.
      void ctx.discovery?.refreshIfDue().catch((err: unknown) => ctx.observer.error?.('discovery', err));
      const fired = await fireDueTimers(ctx);
      const swept = await sweepIfDue(ctx).catch((err: unknown) => void ctx.observer.error?.('sweep', err));
      if (swept && Object.values(swept).some((n) => n > 0))
        ctx.observer.info?.('sweep settled what was left behind', { ...swept });
      return fired;
    },
    recover: () => recoverInterrupted(ctx),
    standingCards: (owns) => standingCards(ctx, owns),
    context: ctx,
  };
}
