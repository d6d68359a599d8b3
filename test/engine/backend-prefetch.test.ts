/**
 * The back end's Get-ServerHealth is read while the probe runs, not after its error names the back
 * end (issue 20): the likely back ends are read ahead, the named one's read is used, reads are
 * shared for seconds by the engine's clock, and a failed read still shows as unreadable.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/core/index.ts';
import { GatewayError } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

// The back end's own read (its health sets); the blast radius reads the asked sets on the same servers too.
const backendReads = (ops: readonly Operation[]) =>
  ops.filter(
    (op) => op.kind === 'get-server-health' && op.server === 'MBX1' && op.healthSets?.join() === 'IMAP.Protocol',
  );

describe('back-end health read ahead of the probe', () => {
  it('is asked for before the probe has answered, and the named back end comes from that read', async () => {
    const seenWhenProbeAnswered: string[][] = [];
    const calls: Operation[] = [];
    const h = await createHarness('imap-backend-hang', {
      wrapGateway: interceptRun(async (op, next) => {
        calls.push(op);
        const result = await next();
        if (op.kind === 'invoke-probe')
          seenWhenProbeAnswered.push(
            calls.filter((c) => c.kind === 'get-server-health').map((c) => (c as { server: string }).server),
          );
        return result;
      }),
    });
    await h.ask('imap on server1');
    expect(seenWhenProbeAnswered[0]).toContain('MBX1');
    expect(backendReads(calls)).toHaveLength(1);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/MBX1 is unhealthy too/);
  });

  it('is shared by questions within seconds, and read again once they have passed', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask('imap on server1', h.people.alice, 'test:one');
    await h.ask('imap on server1', h.people.bob, 'test:two');
    expect(backendReads(h.gateway.ran)).toHaveLength(1);
    h.clock.advance(6_000);
    await h.ask('imap on server1', h.people.carol, 'test:three');
    expect(backendReads(h.gateway.ran)).toHaveLength(2);
  });

  it('a failed read is shown as unreadable, and is not shared with the next question', async () => {
    let failures = 1;
    const h = await createHarness('imap-backend-hang', {
      wrapGateway: interceptRun(async (op, next) => {
        if (backendReads([op]).length > 0 && failures-- > 0) throw new GatewayError('timeout', 'MBX1 did not answer');
        return next();
      }),
    });
    await h.ask('imap on server1', h.people.alice, 'test:one');
    expect(h.lastCard('diagnosis')!.title).toMatch(/problem confirmed/);
    expect(cardText(h.lastCard('diagnosis'))).not.toMatch(/MBX1 is unhealthy too/);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/MBX1/);
    await h.ask('imap on server1', h.people.bob, 'test:two');
    expect(backendReads(h.gateway.ran)).toHaveLength(2);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/MBX1 is unhealthy too/);
  });
});
