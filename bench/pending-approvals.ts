/**
 * Fills a running bot with pending approvals the way people would: in the web chat, alice asks
 * about IMAP in a new thread and clicks the restart step, which waits for a second person.
 */
import { actionId, jsonPost } from '../test/web/client.ts';
import type { WebMsg } from '../test/web/client.ts';

const QUESTION = "what's wrong with IMAP on server1?";

async function waitFor(url: string, thread: string, match: (m: WebMsg) => boolean): Promise<WebMsg> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const all = (await (
      await fetch(`${url}/chat/messages?persona=alice&thread=${encodeURIComponent(thread)}`)
    ).json()) as WebMsg[];
    const found = all.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`thread ${thread}: nothing matched in 300 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function oneApproval(url: string): Promise<void> {
  const posted = (await (
    await fetch(`${url}/chat/messages`, jsonPost({ persona: 'alice', text: QUESTION }))
  ).json()) as { thread: string };
  const diagnosis = await waitFor(url, posted.thread, (m) => Boolean(m.html?.includes('problem confirmed')));
  await fetch(
    `${url}/chat/actions`,
    jsonPost({
      persona: 'alice',
      actionId: actionId(diagnosis.html!, /Restart MSExchangeIMAP4BE/),
      messageId: diagnosis.id,
      thread: diagnosis.thread,
    }),
  );
  await waitFor(url, posted.thread, (m) => Boolean(m.html?.includes('kind-approval')));
}

/** Creates `count` pending approvals, `parallel` threads at a time. */
export async function fillApprovals(url: string, count: number, parallel = 10): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next++;
        await oneApproval(url);
      }
    }),
  );
}
