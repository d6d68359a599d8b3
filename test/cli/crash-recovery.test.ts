/**
 * The bot dies hard (SIGKILL: no shutdown handler runs) while an approval is pending. Started
 * again on the same data directory, it takes over the dead process's lock, the page still open in
 * the browser approves, and the restart runs exactly once.
 *
 * The kill lands, as it sometimes did by chance, between showing the approval card and storing
 * where the card is (the test removes the stored reference, so it happens every run). That used to
 * leave the approval `approved` and never executed: showing the card again bumped the approval's
 * version and the step lost its own compare-and-set silently (issue 18, fault 2).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { actionId, until, webClient } from '../web/client.ts';
import type { BotProcess } from './bot-process.ts';
import { startBot } from './bot-process.ts';
import { runCliProcess } from './cli-process.ts';
import { openEmbedded } from '../../src/store/embedded.ts';
import { removeDataDir } from '../support/data-dirs.ts';

/** Forgets where the approval cards are, as if the process died right after showing them; returns the pending approvals without one. */
async function forgetApprovalCards(data: string, deadPid: number): Promise<number> {
  const sql = await openEmbedded(data, { lockTimeoutMs: 5_000, holder: 'cli' });
  try {
    // The kill itself may have landed in that gap already; either way no reference is left.
    await sql.query(
      "update healthbot_approvals set data = json_remove(data, '$.messageRef') where json_type(data, '$.messageRef') is not null",
    );
    return (
      await sql.query(
        "select id from healthbot_approvals where state = 'pending' and json_type(data, '$.messageRef') is null",
      )
    ).rows.length;
  } finally {
    await sql.close();
    // Put the dead bot's lock back, so the next bot still has to take it over.
    writeFileSync(join(data, 'healthbot.lock'), `${deadPid} bot`);
  }
}

const dirs: string[] = [];
const bots: BotProcess[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0))
    if (bot.child.exitCode === null && bot.child.signalCode === null) await bot.stop('SIGKILL');
});
afterAll(() => dirs.forEach(removeDataDir));

describe('a bot killed with SIGKILL while an approval is pending', () => {
  it(
    'comes back on the same data directory, and the approval given afterwards runs the step once',
    { timeout: 400_000 },
    async () => {
      const data = mkdtempSync(join(tmpdir(), 'healthbot-crash-'));
      dirs.push(data);
      const env = { HEALTHBOT_DATA_DIR: data, HEALTHBOT_LAB_SCENARIO: 'imap-backend-hang' };

      const first = await startBot(env);
      bots.push(first);
      const web = webClient(first.url);
      await web.say('alice', "what's wrong with IMAP on server1?");
      const diagnosis = await until(
        'diagnosis',
        async () => (await web.messages('alice')).find((m) => m.html?.includes('problem confirmed')),
        90_000,
      );
      await web.click('alice', actionId(diagnosis.html!, /Restart MSExchangeIMAP4BE on MBX1/), diagnosis);
      // As Bob's page draws it: the requester's own page offers no Approve.
      const approval = await until(
        'approval card',
        async () => (await web.messages('bob')).find((m) => m.html?.includes('kind-approval')),
        90_000,
      );

      expect(await first.stop('SIGKILL')).toBeNull();
      // The lock of the dead process is still there: nothing cleaned up.
      expect(readFileSync(join(data, 'healthbot.lock'), 'utf8')).toBe(`${first.child.pid} bot`);
      expect(await forgetApprovalCards(data, first.child.pid!)).toBe(1);

      const second = await startBot(env);
      bots.push(second);
      expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
      // The browser page still shows the approval card from before the crash; Bob clicks it there.
      const again = webClient(second.url);
      const approve = actionId(approval.html!, /^Approve$/);
      await again.click('bob', approve, approval);
      // Generous waits: on a busy machine (other tests spawning twenty processes) a step can take a
      // while; what is asserted is that it happens once, not how fast. A failure shows what the bot did.
      const resolved = await until(
        'resolved card',
        async () => (await again.messages('bob')).find((m) => m.id === diagnosis.id && m.html?.includes('resolved')),
        90_000,
      ).catch(async (err: Error) => {
        throw new Error(
          `${err.message}\nbob sees: ${JSON.stringify(await again.messages('bob'))}\nbot log:\n${second.output()}`,
        );
      });
      expect(resolved.html).toContain('Approved by Bob');
      // A second click on the same, now stale, card runs nothing and says why, to Dave only.
      await again.click('dave', approve, approval);
      const refusal = await until(
        'refusal',
        async () => (await again.messages('dave')).find((m) => m.privateTo === 'dave'),
        90_000,
      );
      expect(refusal.html).toMatch(/Already approved by Bob/);

      expect(await second.stop('SIGTERM')).toBe(0);
      expect(existsSync(join(data, 'healthbot.lock'))).toBe(false);

      const audit = await runCliProcess(['audit', 'export', '--json', '--data', data]);
      const records = audit.json<{ type: string }[]>();
      expect(records.filter((r) => r.type === 'action-started')).toHaveLength(1);
      expect(records.filter((r) => r.type === 'action-finished')).toHaveLength(1);
      expect((await runCliProcess(['audit', 'verify', '--data', data])).code).toBe(0);
    },
  );
});
