/**
 * One card of every type, produced by the real engine on the lab: what the golden-file tests of
 * each chat platform render. Made once here, so every platform pins the same cards.
 */
import type { Card } from '../../src/core/index.ts';
import { createHarness } from './harness.ts';

export type SampleName = 'diagnosis' | 'approval' | 'refusal' | 'resolved' | 'help' | 'timeline';

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
  return { diagnosis, approval, refusal, resolved, help, timeline: other.lastCard('timeline') };
}
