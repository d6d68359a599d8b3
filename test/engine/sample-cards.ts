/**
 * One card of every type, produced by the real engine on the lab: what the golden-file tests of
 * each chat platform render. Made once here, so every platform pins the same cards.
 */
import type { Card, ExchangeGateway, Operation } from '../../src/core/index.ts';
import { GatewayError } from '../../src/core/index.ts';
import { createHarness } from './harness.ts';

export type SampleName =
  'diagnosis' | 'approval' | 'refusal' | 'resolved' | 'help' | 'timeline' | 'unreadable' | 'evidence';

export async function sampleCards(): Promise<Record<SampleName, Card | undefined>> {
  const h = await createHarness('imap-backend-hang');
  await h.ask("what's wrong with IMAP on server1?");
  const diagnosis = h.lastCard('diagnosis');
  await h.click(h.button(diagnosis, /Restart MSExchangeIMAP4BE/), h.people.alice);
  const approval = h.lastCard('approval');
  await h.click(h.button(approval, /^Approve$/), h.people.alice);
  const refusal = h.privateTo('alice').at(-1);
  await h.click(h.button(approval, /^Approve$/), h.people.bob);
  const resolved = h.lastCard('diagnosis');
  await h.ask('help');
  const help = h.lastCard('help');
  const other = await createHarness('imap-unfixable');
  await other.ask('imap proxy on server1');
  await other.click(other.button(other.lastCard('diagnosis'), /^Escalate$/), other.people.carol);
  // The back end's Get-ServerHealth fails (WinRM down): the card says it could not be read.
  const winrmDown = await createHarness('imap-backend-hang', {
    wrapGateway: (lab: ExchangeGateway): ExchangeGateway => ({
      ...lab,
      run: ((op: Operation, options?: Parameters<ExchangeGateway['run']>[1]) =>
        op.kind === 'get-server-health' && op.server === 'MBX1'
          ? Promise.reject(new GatewayError('unavailable', 'WinRM cannot complete the operation', { server: 'MBX1' }))
          : lab.run(op as never, options)) as ExchangeGateway['run'],
    }),
  });
  await winrmDown.ask("what's wrong with IMAP on server1?");
  // Managed Availability restarted the back end three times and is throttled: shown above the ladder.
  const maTried = await createHarness('ma-already-restarted');
  await maTried.ask("what's wrong with IMAP on server1?");
  return {
    diagnosis,
    approval,
    refusal,
    resolved,
    help,
    timeline: other.lastCard('timeline'),
    unreadable: winrmDown.lastCard('diagnosis'),
    evidence: maTried.lastCard('diagnosis'),
  };
}

/**
 * The cards a person sees in their own language, for the golden files of every platform and every
 * supported language but the fallback: the diagnosis, the approval request and the resolved card.
 * The question names only the health set and the server, so its language is the one the people's
 * profile names, as Slack and Teams report it: the test needs no phrasing per language.
 */
export async function localisedSampleCards(
  locale: string,
): Promise<Record<'diagnosis' | 'approval' | 'resolved', Card | undefined>> {
  const h = await createHarness('imap-backend-hang', { locale });
  await h.ask('IMAP server1');
  const diagnosis = h.lastCard('diagnosis');
  await h.click(h.button(diagnosis, /MSExchangeIMAP4BE/), h.people.alice);
  const approval = h.lastCard('approval');
  await h.click(approval!.actions.find((a) => a.style === 'primary')!.id, h.people.bob);
  return { diagnosis, approval, resolved: h.lastCard('diagnosis') };
}
