/**
 * Anchors of the audit chain's head (issue 18, fault 10): written to the sink outside the database
 * when an incident closes and on the periodic call, and posted in the incident's thread where the
 * platform has threads. A failing sink never stops the flow.
 */
import { describe, expect, it } from 'vitest';
import type { Anchor } from '../../src/core/engine/index.ts';
import type { Capabilities } from '../../src/core/index.ts';
import { cardText, createHarness } from './harness.ts';

async function resolvedWith(options: { threads: boolean; sink?: (a: Anchor) => Promise<void> }) {
  const anchors: Anchor[] = [];
  const errors: string[] = [];
  const h = await createHarness('imap-backend-hang', {
    overrides: {
      anchorSink: options.sink ?? (async (a) => void anchors.push(a as Anchor)),
      observer: { error: (where) => errors.push(where) },
    },
  });
  (h.surface as { capabilities: Capabilities }).capabilities = { ...h.surface.capabilities, threads: options.threads };
  await h.ask("what's wrong with IMAP on server1?");
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
  await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
  return { h, anchors, errors };
}

describe('audit anchors', () => {
  it('anchor the head when an incident resolves: to the sink and, with threads, in the thread', async () => {
    const { h, anchors } = await resolvedWith({ threads: true });
    expect(h.lastCard('diagnosis')?.title).toBe('IMAP on SERVER1: resolved');
    const head = await h.store.auditHead();
    expect(anchors).toEqual([
      {
        seq: head!.seq,
        hash: head!.hash,
        at: h.clock.now().toISOString(),
        reason: 'incident-closed',
        incidentId: expect.any(String),
      },
    ]);
    const notice = h.lastCard('notice');
    expect(notice?.title).toBe('Audit trail anchor');
    expect(cardText(notice)).toContain(`healthbot audit verify --anchor ${head!.seq}:${head!.hash}`);
  });

  it('without threads, anchor to the sink only', async () => {
    const { h, anchors } = await resolvedWith({ threads: false });
    expect(anchors).toHaveLength(1);
    expect(h.surface.messages.some((m) => m.card.title === 'Audit trail anchor')).toBe(false);
  });

  it('anchor an escalation too', async () => {
    const anchors: Anchor[] = [];
    const h = await createHarness('imap-unfixable', {
      overrides: { anchorSink: async (a) => void anchors.push(a as Anchor) },
    });
    await h.ask('imap proxy on server1');
    await h.click(h.button(h.lastCard('diagnosis'), /^Escalate$/), h.people.carol);
    expect(anchors.map((a) => a.reason)).toEqual(['incident-closed']);
    expect(anchors[0]!.seq).toBe((await h.store.auditHead())!.seq);
  });

  it('a sink that fails is reported and the incident still resolves', async () => {
    const { h, errors } = await resolvedWith({ threads: true, sink: () => Promise.reject(new Error('disk full')) });
    expect(h.lastCard('diagnosis')?.title).toBe('IMAP on SERVER1: resolved');
    expect(errors).toContain('audit-anchor');
  });

  it('the periodic anchor is written only when the head moved', async () => {
    const anchors: Anchor[] = [];
    const h = await createHarness('healthy', {
      overrides: { anchorSink: async (a) => void anchors.push(a as Anchor) },
    });
    expect(await h.engine.anchorAudit('periodic')).toBeUndefined();
    await h.ask('is ECP ok on server1');
    const first = await h.engine.anchorAudit('periodic');
    expect(first).toMatchObject({ seq: (await h.store.auditHead())!.seq, reason: 'periodic' });
    expect(await h.engine.anchorAudit('periodic')).toBeUndefined();
    await h.ask('is ECP ok on server2');
    expect((await h.engine.anchorAudit('periodic'))?.seq).toBeGreaterThan(first!.seq);
    expect(anchors).toHaveLength(2);
  });
});
