/**
 * A restart (or IISReset) of the server whose PowerShell endpoint the bot itself uses: the approval
 * card warns, and right before it runs the gateway moves to another endpoint; with no other
 * endpoint configured, the step is refused with a clear reason instead of cutting the bot's session.
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import { cardText, createHarness } from './harness.ts';

async function approveAs(h: Harness, ...people: (keyof Harness['people'])[]): Promise<void> {
  for (const p of people) await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people[p]);
}

/** Walks imap-slow-commands on SERVER2 to the request for the server restart (not yet approved). */
async function requestRestart(h: Harness): Promise<void> {
  await h.ask('imap on server2');
  for (let i = 0; i < 2; i++) {
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await approveAs(h, 'bob');
  }
  for (let i = 0; i < 2; i++) {
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    h.clock.advance(10 * 60_000);
    await h.engine.tick();
  }
  await h.walkUntil(/^Restart the server SERVER2$/);
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
}

describe("the bot's own endpoint", () => {
  it('warns on the approval card, moves to the other endpoint before the restart runs, and the timeline says so', async () => {
    const h = await createHarness('imap-slow-commands', { labEndpoints: ['SERVER2', 'SERVER1'] });
    await requestRestart(h);
    expect(cardText(h.lastCard('approval'))).toContain(
      'Healthbot reaches Exchange through SERVER2 itself: before this runs it switches to SERVER1, so its session survives.',
    );
    await approveAs(h, 'bob', 'dave');
    expect(h.gateway.ran).toContainEqual({ kind: 'restart-server', server: 'SERVER2' });
    expect(h.gateway.endpointServers!()).toEqual(['SERVER1']);
    const [incident] = await h.store.listIncidents(1);
    const audit = await h.store.readAudit({ incidentId: incident!.id });
    const moved = audit.findIndex(
      (r) =>
        r.type === 'check' &&
        String(r.data.summary) ===
          "the bot's Exchange endpoint moved from SERVER2 to SERVER1 before restart-server on SERVER2",
    );
    const started = audit.findIndex(
      (r) => r.type === 'action-started' && (r.data.operation as { kind: string }).kind === 'restart-server',
    );
    expect(moved).toBeGreaterThan(-1);
    expect(moved).toBeLessThan(started);
  });

  it('with no other endpoint configured, refuses the restart with the reason in words and runs nothing', async () => {
    const h = await createHarness('imap-slow-commands', { labEndpoints: ['SERVER2'] });
    await requestRestart(h);
    expect(cardText(h.lastCard('approval'))).toContain('has no other endpoint configured: this step will be refused');
    await approveAs(h, 'bob', 'dave');
    expect(h.gateway.ran.some((o) => o.kind === 'restart-server')).toBe(false);
    expect(cardText(h.lastCard('diagnosis'))).toContain(
      'Not run: Healthbot reaches Exchange through SERVER2 itself, and no other endpoint is configured',
    );
    const [approval] = await h.store.listApprovals({ states: ['failed'] });
    expect(approval?.operation.kind).toBe('restart-server');
    expect(h.gateway.endpointServers!()).toEqual(['SERVER2']);
  });

  it('a restart of another server changes nothing and warns of nothing', async () => {
    const h = await createHarness('imap-slow-commands', { labEndpoints: ['SERVER1'] });
    await requestRestart(h);
    expect(cardText(h.lastCard('approval'))).not.toContain('Healthbot reaches Exchange');
    await approveAs(h, 'bob', 'dave');
    expect(h.gateway.ran).toContainEqual({ kind: 'restart-server', server: 'SERVER2' });
    expect(h.gateway.endpointServers!()).toEqual(['SERVER1']);
  });
});
