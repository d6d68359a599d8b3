import { describe, expect, it } from 'vitest';
import type { MonitorHealth, Operation, ProbeResult } from '../../src/core/index.ts';
import { createHarness, interceptRun } from './harness.ts';

/**
 * A probe has one instance per target resource (`<HealthSet>\<Probe>\<TargetResource>`). The engine
 * reruns the instance behind the failing monitor: the TargetResource of its Get-ServerHealth row.
 */
const TARGET = 'MSExchangeIMAP4-Instance7';

async function walk(options: { dropRowAfterRestart?: boolean } = {}) {
  let restarted = false;
  const wrap = interceptRun(async (op: Operation, next) => {
    const result = await next();
    if (op.kind === 'restart-service') restarted = true;
    if (op.kind === 'get-server-health') {
      const rows = (result as MonitorHealth[]).map((r) =>
        r.monitor === 'ImapCTPMonitor' ? { ...r, targetResource: TARGET } : r,
      );
      // Once acted on, Get-ServerHealth may no longer list the monitor: the incident's finding still names its target.
      return options.dropRowAfterRestart && restarted ? rows.filter((r) => r.monitor !== 'ImapCTPMonitor') : rows;
    }
    if (restarted && op.kind === 'invoke-probe' && op.probe === 'ImapCTPProbe') {
      return { ...(result as ProbeResult), resultType: 'Failed', error: 'still refusing LOGIN' } satisfies ProbeResult;
    }
    return result;
  });
  const h = await createHarness('imap-backend-hang', { wrapGateway: wrap });
  await h.ask("what's wrong with IMAP on server1?");
  const probes = () =>
    h.gateway.ran.filter(
      (op): op is Extract<Operation, { kind: 'invoke-probe' }> =>
        op.kind === 'invoke-probe' && op.probe === 'ImapCTPProbe',
    );
  const atDiagnosis = probes().length;
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
  await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
  return { h, probes, atDiagnosis };
}

describe('the probe instance of the failing monitor', () => {
  it("passes the monitor row's TargetResource when the diagnosis reruns the probe", async () => {
    const { probes, atDiagnosis } = await walk();
    expect(atDiagnosis).toBeGreaterThan(0);
    expect(
      probes()
        .slice(0, atDiagnosis)
        .every((op) => op.targetResource === TARGET),
    ).toBe(true);
  });

  it("passes it again when the probe is rerun after the approved step, and on the ladder's probe step", async () => {
    const { h, probes, atDiagnosis } = await walk();
    const afterAction = probes().slice(atDiagnosis);
    expect(afterAction.length).toBeGreaterThan(0);
    expect(afterAction.every((op) => op.targetResource === TARGET)).toBe(true);
    // The probe still fails, so the ladder goes on to its own probe step.
    const before = probes().length;
    await h.click(h.button(h.lastCard('diagnosis'), /probe/i), h.people.alice);
    expect(probes().length).toBe(before + 1);
    expect(probes().at(-1)).toMatchObject({ healthSet: 'IMAP', probe: 'ImapCTPProbe', targetResource: TARGET });
  });

  it('takes the target from the incident when Get-ServerHealth no longer lists the acted-on monitor', async () => {
    const { probes, atDiagnosis } = await walk({ dropRowAfterRestart: true });
    const afterAction = probes().slice(atDiagnosis);
    expect(afterAction.length).toBeGreaterThan(0);
    expect(afterAction.every((op) => op.targetResource === TARGET)).toBe(true);
  });

  it('runs the probe without a target resource when the monitor has none', async () => {
    const strip = interceptRun(async (op: Operation, next) => {
      const result = await next();
      if (op.kind !== 'get-server-health') return result;
      return (result as MonitorHealth[]).map(({ targetResource: _unused, ...rest }) => rest);
    });
    const h = await createHarness('imap-backend-hang', { wrapGateway: strip });
    await h.ask("what's wrong with IMAP on server1?");
    const ran = h.gateway.ran.filter((op) => op.kind === 'invoke-probe');
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.every((op) => !('targetResource' in op))).toBe(true);
  });
});
