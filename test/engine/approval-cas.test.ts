/**
 * No compare-and-set loss is silent. The deciding vote on an approval whose card reference was
 * never stored (shown, then the process died before writing it) used to bump the approval's
 * version while showing the card, so the approved → executing step lost its own compare-and-set
 * and the approval stayed `approved` until some process restarted.
 */
import { describe, expect, it } from 'vitest';
import type { Approval, Store } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { createHarness } from './harness.ts';

async function requested(store?: Store) {
  const h = await createHarness('imap-backend-hang', store ? { store } : {});
  await h.ask("what's wrong with IMAP on server1?");
  await h.click(h.button(h.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/), h.people.alice);
  const approval = (await h.store.listApprovals({ states: ['pending'] }))[0]!;
  return { h, approval };
}

const restarts = (h: Awaited<ReturnType<typeof requested>>['h']) =>
  h.gateway.ran.filter((op) => op.kind === 'restart-service').length;

describe('approved steps always run', () => {
  it('runs when the deciding vote arrives on an approval whose card reference was never stored', async () => {
    const inner = createMemoryStore();
    let lost = false;
    // The process "dies" between showing the approval card and storing where it is: the first
    // reference write never reaches the store (whichever way the engine writes it).
    const store: Store = {
      ...inner,
      async setApprovalMessageRef(id, ref) {
        if (!lost) return !(lost = true);
        return inner.setApprovalMessageRef(id, ref);
      },
      async updateApproval(next) {
        const stored = await inner.getApproval(next.id);
        if (!lost && next.messageRef && !stored?.messageRef && next.state === stored?.state) return (lost = true);
        return inner.updateApproval(next);
      },
    };
    const { h, approval } = await requested(store);
    expect(lost).toBe(true);
    expect((await h.store.getApproval(approval.id))?.messageRef).toBeUndefined();

    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);

    expect((await h.store.getApproval(approval.id))?.state).toBe('succeeded');
    expect(restarts(h)).toBe(1);
  });

  it('retries the approved → executing step with the fresh version when another writer bumped it', async () => {
    const inner = createMemoryStore();
    let interfered = false;
    // Another writer changes the approval (without deciding anything) just before it starts executing.
    const store: Store = {
      ...inner,
      async updateApproval(next: Approval) {
        if (next.state === 'executing' && !interfered) {
          interfered = true;
          const current = (await inner.getApproval(next.id))!;
          await inner.updateApproval({ ...current, version: current.version + 1 });
        }
        return inner.updateApproval(next);
      },
    };
    const { h, approval } = await requested(store);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    expect(interfered).toBe(true);
    expect((await h.store.getApproval(approval.id))?.state).toBe('succeeded');
    expect(restarts(h)).toBe(1);
  });

  it('runs exactly once when two approvals race to start the same execution', async () => {
    const { h, approval } = await requested();
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    const done = (await h.store.getApproval(approval.id))!;
    // Resuming a step that already ran (a sweep racing the decider) runs nothing again.
    expect(await h.engine.recover()).toMatchObject({ resumed: 0 });
    expect(done.state).toBe('succeeded');
    expect(restarts(h)).toBe(1);
  });
});
