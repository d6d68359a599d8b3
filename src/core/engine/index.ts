/**
 * The engine: one entry point per kind of work. Adapters call `handle`; the composition root
 * calls `tick` on an interval and `recover` once at start; the CLI also decides approvals by id.
 */
import { HealthbotError } from '../errors.ts';
import type { InboundEvent } from '../model/event.ts';
import { cleanInboundEvent } from '../model/text.ts';
import type { ChatEngine } from '../ports/engine.ts';
import type { ApprovalDecision, DecisionOutcome } from './approval-flow.ts';
import { decideApproval } from './approval-flow.ts';
import type { EngineContext, EngineDeps } from './context.ts';
import { createContext } from './context.ts';
import { onAction } from './on-action.ts';
import { onMessage } from './on-message.ts';
import type { RecoveryReport } from './recover.ts';
import { recoverInterrupted } from './recover.ts';
import { tellPrivately } from './reply.ts';
import { fireDueTimers } from './timers.ts';
import type { Anchor } from './anchors.ts';
import { anchorHead } from './anchors.ts';
import { noticeCard } from './views/notice.ts';

export interface Engine extends ChatEngine {
  /** Approve, reject or withdraw by approval id (the CLI's `approve`/`reject`). */
  decide(input: { approvalId: string; actor: InboundEvent['actor']; decision: ApprovalDecision; conversation?: string }): Promise<DecisionOutcome>;
  /** Fires due timers (approval expiry, wait steps). */
  tick(): Promise<number>;
  /** Marks interrupted executions outcome-unknown and resumes approved ones. Call once at start. */
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
export { timelineMarkdown, buildTimeline } from './timeline.ts';
export { SYSTEM_ACTOR } from './system-actor.ts';
export { DEFAULT_REBOOT_WATCH } from './reboot-watch.ts';
export type { RebootWatchSettings } from './reboot-watch.ts';

export function createEngine(deps: EngineDeps): Engine {
  const ctx = createContext(deps);

  async function handle(input: InboundEvent): Promise<void> {
    // The boundary for text from every platform: no NUL or lone surrogate reaches the store (which
    // would refuse it), no bidi control reaches a card. Before the claim, which stores the id too.
    const event = cleanInboundEvent(input);
    // Redeliveries (Slack retries, Teams resends, double clicks carrying the same id) stop here.
    if (!(await ctx.store.claimEvent(event.eventId, ctx.clock.now()))) return;
    try {
      if (event.kind === 'message') await onMessage(ctx, event);
      else await onAction(ctx, event);
    } catch (err) {
      ctx.observer.error?.(event.kind, err);
      const t = ctx.t(ctx.localeOf(event.actor));
      const key = err instanceof HealthbotError && deps.translator.has(`errors.${err.code}`) ? `errors.${err.code}` : 'errors.internal';
      const params = err instanceof HealthbotError ? { server: '', ...err.params } : { server: '' };
      // The person is told either way; an error record that cannot be written is reported, not dropped.
      await ctx
        .audit({ type: 'error', actor: event.actor, data: { where: event.kind, code: err instanceof HealthbotError ? err.code : 'internal' } })
        .catch((auditErr: unknown) => ctx.observer.error?.('audit', auditErr));
      await tellPrivately(ctx.surface(event.conversation), event.conversation, event.actor, noticeCard(t(key, params), { severity: 'critical' }));
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
    anchorAudit,
    decide: (input) => decideApproval(ctx, input),
    tick: () => fireDueTimers(ctx),
    recover: () => recoverInterrupted(ctx),
    context: ctx,
  };
}
