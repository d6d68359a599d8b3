/**
 * Before any button, through the engine on the lab: what Managed Availability already did, the
 * failing probes' history and the Windows events are on the card above the ladder; a rung
 * Managed Availability already climbed is marked and still offered; a reboot it forced is red;
 * and every read that times out or fails says so instead of looking quiet.
 */
import { describe, expect, it } from 'vitest';
import type { Card, Operation, RecoveryAction } from '../../src/core/index.ts';
import { GatewayError } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

const facts = (card: Card | undefined) => card?.facts ?? [];
const indexOf = (card: Card | undefined, label: RegExp) => facts(card).findIndex((f) => label.test(f.label));

describe('evidence on the diagnosis card', () => {
  it('shows what Managed Availability did, the probe history and the Windows events above the next step, and marks the rung it already climbed', async () => {
    const h = await createHarness('ma-already-restarted');
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis');
    // The harness clock stands at 14:00 UTC: restarts 58, 37 and 16 minutes ago, the last one ending 13 s later; refused 4 minutes ago.
    expect(facts(card)).toContainEqual({
      label: 'Managed Availability',
      value: 'restarted MSExchangeIMAP4BE 3× since 13:02, last succeeded 13:44, now throttled',
    });
    expect(facts(card)).toContainEqual({
      label: 'History of ImapCTPMonitor',
      value: 'failing since 13:05 (12 of the last 14 failed)',
    });
    expect(facts(card)).toContainEqual({
      label: 'History of ImapDeepTestMonitor',
      value: 'failed 12 of the last 12 since 13:05',
    });
    expect(
      facts(card)
        .filter((f) => f.label === 'Windows')
        .map((f) => f.value),
    ).toEqual([
      'service crashes: Microsoft Exchange IMAP4 Backend 2× (last 13:23)',
      'Watson reports: Microsoft.Exchange.Imap4Service 1× (last 13:43) (System.TimeoutException)',
    ]);
    // Above the ladder: every evidence fact comes before the next step.
    const next = indexOf(card, /^Next step/);
    expect(next).toBeGreaterThan(indexOf(card, /^Managed Availability$/));
    expect(next).toBeGreaterThan(indexOf(card, /^Windows$/));
    // The rung Managed Availability already climbed is said so, and still offered.
    expect(cardText(card)).toContain(
      'Managed Availability already did this 3× (last 13:44) and the monitor still fails; it is still offered.',
    );
    expect(card!.actions[0]!.label).toBe('Restart MSExchangeIMAP4BE on SERVER1');
    expect(cardText(card)).toContain(
      "LOGIN failed after 00:00:30.0160000.\nThe IMAP server returned an unexpected response to LOGIN: '* BYE Connection is closed. 13'",
    );
  });

  it('runs the reads beside the probes: the probe history starts before any probe answers', async () => {
    let historyStarted!: () => void;
    const started = new Promise<void>((resolve) => (historyStarted = resolve));
    const h = await createHarness('ma-already-restarted', {
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'get-probe-history') historyStarted();
        // A probe answers only once the history read is under way: were the reads after the probes, this would never finish.
        if (op.kind === 'invoke-probe') await started;
        return next();
      }),
    });
    await h.ask("what's wrong with IMAP on server1?");
    const kinds = h.gateway.ran.map((op) => op.kind);
    expect(kinds.indexOf('get-recovery-actions')).toBeLessThan(kinds.indexOf('invoke-probe'));
    expect(kinds.indexOf('get-windows-events')).toBeLessThan(kinds.indexOf('invoke-probe'));
    // One ProbeResult read for both failing probes, by exact ResultName and a window.
    const history = h.gateway.ran.filter(
      (op): op is Extract<Operation, { kind: 'get-probe-history' }> => op.kind === 'get-probe-history',
    );
    expect(history).toEqual([
      {
        kind: 'get-probe-history',
        server: 'SERVER1',
        resultNames: ['ImapCTPProbe', 'ImapCTPProbe/IMAP', 'ImapDeepTestProbe', 'ImapDeepTestProbe/IMAP'],
        sinceMinutes: 120,
      },
    ]);
  });

  it('says "not read (timed out)" and "not read (<reason>)" for reads that did not answer, and the diagnosis goes on', async () => {
    const limits: (number | undefined)[] = [];
    const h = await createHarness('ma-already-restarted', {
      wrapGateway: (lab) => ({
        ...lab,
        run: ((op: Operation, options?: { timeoutMs?: number }) => {
          if (op.kind === 'get-recovery-actions') {
            limits.push(options?.timeoutMs);
            return Promise.reject(new GatewayError('timeout', 'Get-WinEvent took longer than 8 s'));
          }
          if (op.kind === 'get-windows-events')
            return Promise.reject(new GatewayError('permission-denied', 'Access is denied'));
          if (op.kind === 'get-probe-history') return Promise.reject(new GatewayError('timeout', 'slow channel'));
          return lab.run(op as never, options);
        }) as typeof lab.run,
      }),
    });
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis');
    expect(limits).toEqual([8_000]);
    expect(facts(card)).toContainEqual({
      label: 'Managed Availability',
      value: 'recovery actions not read (timed out)',
    });
    expect(facts(card)).toContainEqual({ label: 'Windows', value: 'events not read (access denied)' });
    expect(facts(card)).toContainEqual({
      label: 'History of ImapCTPMonitor',
      value: 'probe history not read (timed out)',
    });
    // The diagnosis itself is whole: the probe rerun, the verdict and the ladder.
    expect(card!.title).toBe('IMAP on SERVER1: problem confirmed');
    expect(card!.actions[0]!.label).toBe('Restart MSExchangeIMAP4BE on SERVER1');
    // Nothing read, nothing claimed: no "already tried" without the history that says so.
    expect(cardText(card)).not.toContain('already did this');
  });

  it('flags a reboot Managed Availability forced in red, and says when nothing was done', async () => {
    const reboot: RecoveryAction = {
      server: 'SERVER1',
      action: 'ForceReboot',
      resource: 'SERVER1',
      requester: 'ActiveDirectoryConnectivityServerReboot',
      state: 'Finished',
      result: 'Succeeded',
      startedAt: '2026-11-24T09:30:00.000Z',
      endedAt: '2026-11-24T09:30:01.000Z',
      throttled: false,
    };
    const h = await createHarness('imap-backend-hang', {
      wrapGateway: interceptRun(async (op, next) =>
        op.kind === 'get-recovery-actions' && op.server === 'SERVER1' ? [reboot] : next(),
      ),
    });
    await h.ask("what's wrong with IMAP on server1?");
    expect(facts(h.lastCard('diagnosis'))).toContainEqual({
      label: 'Managed Availability',
      value: '🔴 forced a reboot (bugcheck) of SERVER1 1× since 09:30, last succeeded 09:30',
      style: 'danger',
    });

    const quiet = await createHarness('imap-backend-hang');
    await quiet.ask("what's wrong with IMAP on server1?");
    expect(facts(quiet.lastCard('diagnosis'))).toContainEqual({
      label: 'Managed Availability',
      value: 'no recovery action in the last 24 h',
    });
  });

  it('marks the rung in the list of all steps, and lists every step as an EMS command', async () => {
    const h = await createHarness('ma-already-restarted');
    await h.ask("what's wrong with IMAP on server1?");
    await h.click(h.button(h.lastCard('diagnosis'), /^All steps$/), h.people.alice);
    const card = h.lastCard('diagnosis');
    const list = card!.sections.flatMap((s) =>
      s.kind === 'list' && s.items[0]?.startsWith('Restart MSExchangeIMAP4BE') ? [s.items] : [],
    )[0]!;
    expect(list[0]).toBe(
      'Restart MSExchangeIMAP4BE on SERVER1 (needs approval) (Managed Availability already did this 3×)',
    );
    // Only that rung: restarting the server was not something Managed Availability did here.
    expect(list.filter((i) => i.includes('already did this'))).toHaveLength(1);
    const code = card!.sections.flatMap((s) => (s.kind === 'code' && s.text.startsWith('1. ') ? [s.text] : []))[0];
    expect(code?.split('\n')[0]).toBe(
      "1. Invoke-Command -ComputerName 'SERVER1' -ScriptBlock { Stop-Service -Name 'MSExchangeIMAP4BE' -Force; Start-Service -Name 'MSExchangeIMAP4BE' }",
    );
    // Still clickable after the list was shown.
    expect(card!.actions[0]!.label).toBe('Restart MSExchangeIMAP4BE on SERVER1');
  });

  it('falls back to the probe history when the probe cannot be invoked', async () => {
    const h = await createHarness('ma-already-restarted', {
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'invoke-probe')
          throw new GatewayError(
            'failed',
            "The probe 'IMAP\\ImapCTPProbe' can't be invoked: it is not a recurrent probe",
          );
        return next();
      }),
    });
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis');
    // No rerun, so no verdict of its own; the ProbeResult log still tells how the probe has been doing.
    expect(facts(card)).toContainEqual(expect.objectContaining({ label: 'Probe rerun' }));
    expect(facts(card).find((f) => f.label === 'Probe rerun')!.value).not.toMatch(/Failed after|Succeeded/);
    expect(facts(card)).toContainEqual({
      label: 'History of ImapCTPMonitor',
      value: 'failing since 13:05 (12 of the last 14 failed)',
    });
  });

  it('writes the evidence in German too', async () => {
    const h = await createHarness('ma-already-restarted', { locale: 'de' });
    await h.ask('was ist mit IMAP auf server1 los?');
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain(
      'hat MSExchangeIMAP4BE seit 13:02 3× neu gestartet, zuletzt erfolgreich 13:44, jetzt gedrosselt',
    );
    expect(text).toContain('Managed Availability hat das bereits 3× getan');
  });
});
