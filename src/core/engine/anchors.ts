/**
 * Anchors: the audit chain's head (sequence number, MAC, time) written outside the database, so
 * that deleting the newest records is caught by `healthbot audit verify`. The composition root
 * supplies the sink (the log and the anchor file); at an incident's close the anchor is also posted
 * in the incident's thread, where platforms keep threads, through the ordinary reply path.
 * An anchor that cannot be written is reported as an error and never stops the flow it follows.
 */
import type { Card } from '../model/card.ts';
import type { AuditHead, Incident, IncidentStatus } from '../model/incident.ts';
import type { EngineContext } from './context.ts';
import { clockTime } from './views/format.ts';

/** Statuses that end an incident's walk: the moment to anchor what it wrote. */
const CLOSED: readonly IncidentStatus[] = ['resolved', 'escalated'];

export interface Anchor extends AuditHead {
  /** Why it was taken: `periodic`, `start`, `incident-closed`. */
  readonly reason: string;
  readonly incidentId?: string;
}

/** Writes the head to the sink; returns it, or undefined while the trail is empty. */
export async function anchorHead(ctx: EngineContext, reason: string, incident?: Incident): Promise<Anchor | undefined> {
  const head = await ctx.store.auditHead();
  if (!head) return undefined;
  const anchor: Anchor = {
    seq: head.seq,
    hash: head.hash,
    at: ctx.clock.now().toISOString(),
    reason,
    ...(incident ? { incidentId: incident.id } : {}),
  };
  await ctx.anchorSink?.(anchor);
  return anchor;
}

/** After an incident changed: if it just closed, anchor the trail in the sink and in its thread. */
export async function anchorIfClosed(
  ctx: EngineContext,
  before: Pick<Incident, 'status'>,
  after: Incident,
): Promise<void> {
  if (!CLOSED.includes(after.status) || before.status === after.status) return;
  try {
    const anchor = await anchorHead(ctx, 'incident-closed', after);
    const surface = ctx.surface(after.conversation);
    // A line in the thread is a copy nobody with database access can edit; without threads it
    // would clutter the channel, so the log and the anchor file carry it alone.
    if (anchor && surface.capabilities.threads) await surface.post(after.conversation, anchorCard(ctx, after, anchor));
  } catch (err) {
    ctx.observer.error?.('audit-anchor', err);
  }
}

function anchorCard(ctx: EngineContext, incident: Incident, anchor: Anchor): Card {
  const t = ctx.tFor(incident);
  return {
    kind: 'notice',
    title: t('anchor.title'),
    severity: 'info',
    facts: [],
    sections: [
      {
        kind: 'text',
        text: t('anchor.text', { seq: anchor.seq, time: clockTime(anchor.at, ctx.timeZone, incident.locale) }),
      },
      { kind: 'code', text: `healthbot audit verify --anchor ${anchor.seq}:${anchor.hash}` },
    ],
    actions: [],
  };
}
