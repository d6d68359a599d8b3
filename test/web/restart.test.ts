/**
 * After a restart the web chat's memory is empty, but the store is not: the open incident and the
 * pending approval are shown again from the store, in order, and their buttons work.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/index.ts';
import type { WebServer } from './server.ts';
import { startWebChat } from './server.ts';
import { actionId, until, webClient } from './client.ts';

const servers: WebServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('web chat after a restart', () => {
  it('shows the open incident and the pending approval from the store, and the approval works', async () => {
    const store = createMemoryStore();
    const first = await startWebChat('imap-backend-hang', { store });
    servers.push(first);
    const before = webClient(first.url);
    await before.say('alice', "what's wrong with IMAP on server1?");
    const diagnosis = await until('diagnosis', async () =>
      (await before.messages('alice')).find((m) => m.html?.includes('problem confirmed')),
    );
    await before.click('alice', actionId(diagnosis.html!, /^Restart MSExchangeIMAP4BE on MBX1$/), diagnosis);
    const approval = await until('approval', async () =>
      (await before.messages('alice')).find((m) => m.html?.includes('kind-approval')),
    );
    await first.close();
    servers.splice(0);

    const second = await startWebChat('imap-backend-hang', { store });
    servers.push(second);
    const after = webClient(second.url);
    const shown = await after.messages('bob');
    // The question, the diagnosis card where it was, the approval card where it was.
    expect(shown.map((m) => m.id)).toEqual([diagnosis.thread, diagnosis.id, approval.id]);
    expect(shown[0]).toMatchObject({
      text: "what's wrong with IMAP on server1?",
      author: { name: 'Alice', bot: false },
    });
    expect(shown[1]!.html).toContain('problem confirmed');
    expect(shown[2]!.html).toContain('kind-approval');
    await after.click('bob', actionId(shown[2]!.html!, /^Approve$/), shown[2]!);
    await until('resolved', async () =>
      (await after.messages('bob')).find((m) => m.id === diagnosis.id && m.html?.includes('resolved')),
    );
    expect(second.harness.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
  });
});
