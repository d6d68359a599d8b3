/**
 * SIGKILL trials: the bot (its own process, embedded database) is killed at a random moment of
 * an approval flow: just after a step was requested, while the approval is pending, or just after
 * the deciding vote (before, during or after the restart runs). The next bot starts on the same
 * data directory, approves what was left pending, and the next trial begins. At the end the data
 * is read back: nothing may be lost (an approval left approved or executing, a pending approval
 * without its expiry timer, an incident stuck in checking) and nothing may have run twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.ts';
import type { BotProcess } from '../test/cli/bot-process.ts';
import { startBot } from '../test/cli/bot-process.ts';
import type { WebMsg } from '../test/web/client.ts';
import { actionId, until, webClient } from '../test/web/client.ts';
import { seeded } from './reliability-trials.ts';
import { fmt } from './stats.ts';
import { loadAuditKey } from '../src/store/index.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TERMINAL = /Done:|Failed or not run:|Outcome unknown:|Not started:/;

type Mode = 'after-request' | 'pending' | 'after-approve';

export async function benchKills(kills: number): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), 'hb-rel-kills-'));
  // Realistic lab latency: a restart and its checks take long enough for a kill to land inside them.
  const env = {
    HEALTHBOT_DATA_DIR: data,
    HEALTHBOT_LAB_SCENARIO: 'imap-unfixable',
    HEALTHBOT_LAB_LATENCY: 'realistic',
  };
  const random = seeded(60);
  const modes: Record<Mode, number> = { 'after-request': 0, pending: 0, 'after-approve': 0 };
  let leftPending: { approve: string; card: WebMsg }[] = [];
  let approvedAfterRestart = 0;
  let clicksCut = 0;
  let bot: BotProcess | undefined;
  const started = performance.now();
  try {
    bot = await startBot(env);
    for (let k = 0; k < kills; k++) {
      const web = webClient(bot.url);
      // What the previous bot left pending is approved on this one, from the old cards.
      for (const p of leftPending) {
        await web.click('bob', p.approve, p.card);
        await until(
          'the approval left pending to finish',
          async () =>
            (await web.messages('bob', p.card.thread)).find(
              (m) => m.html?.includes('kind-approval') && TERMINAL.test(m.html),
            ),
          60_000,
        );
        approvedAfterRestart++;
      }
      leftPending = [];
      const asked = (await (await web.say('alice', 'imap on server1')).json()) as { thread: string };
      const diagnosis = await until(
        'diagnosis',
        async () => (await web.messages('alice', asked.thread)).find((m) => m.html?.includes('problem confirmed')),
        60_000,
      );
      const roll = random();
      const mode: Mode = roll < 0.2 ? 'after-request' : roll < 0.45 ? 'pending' : 'after-approve';
      modes[mode]++;
      await web.click('alice', actionId(diagnosis.html!, /Restart MSExchangeIMAP4 on/), diagnosis);
      if (mode === 'after-request') {
        await pause(Math.floor(random() * 200));
      } else {
        const card = await until(
          'approval card',
          async () => (await web.messages('alice', asked.thread)).find((m) => m.html?.includes('kind-approval')),
          60_000,
        );
        const approve = actionId(card.html!, /^Approve$/);
        if (mode === 'pending') {
          leftPending.push({ approve, card });
          await pause(Math.floor(random() * 150));
        } else {
          await web.click('bob', approve, card);
          await pause(Math.floor(random() * 1500));
        }
      }
      await bot.stop('SIGKILL');
      bot = await startBot(env);
    }
    // The last bot approves what the last kill left pending, then stops cleanly.
    const web = webClient(bot.url);
    for (const p of leftPending) {
      await web.click('bob', p.approve, p.card);
      await until(
        'the approval left pending to finish',
        async () =>
          (await web.messages('bob', p.card.thread)).find(
            (m) => m.html?.includes('kind-approval') && TERMINAL.test(m.html),
          ),
        60_000,
      );
      approvedAfterRestart++;
    }
    await bot.stop('SIGTERM');
    bot = undefined;

    // The key the bot generated beside its data directory on first start.
    const { key } = await loadAuditKey({ keyFile: `${data}.audit-key` });
    const store = await openStore({ dataDir: data, holder: 'cli', auditKey: key });
    try {
      const approvals = await store.listApprovals();
      const audit = await store.readAudit();
      const startsOf = new Map<string, number>();
      for (const r of audit)
        if (r.type === 'action-started')
          startsOf.set(String(r.data.approvalId), (startsOf.get(String(r.data.approvalId)) ?? 0) + 1);
      const reRun = [...startsOf.values()].filter((n) => n > 1).length;
      const states: Record<string, number> = {};
      let lost = 0;
      for (const a of approvals) {
        states[a.state] = (states[a.state] ?? 0) + 1;
        if (a.state === 'approved' || a.state === 'executing') lost++;
        // A request killed before anyone approved it stays pending; it must still expire.
        if (a.state === 'pending') {
          clicksCut++;
          const timer = await store.claimDueTimers(new Date(new Date(a.expiresAt).getTime() + 1), 1000, 1);
          if (!timer.some((t) => t.id === `expire:${a.id}`)) lost++;
        }
      }
      const stuck = (await store.listIncidentsByStatus(['checking'], 1000)).length;
      lost += stuck;
      console.log(`SIGKILL trials (embedded database, restarted on the same data each time):`);
      console.log(
        `  kills                 ${kills} in ${fmt((performance.now() - started) / 1000)} s (after the request ${modes['after-request']}, while pending ${modes.pending}, after the approving click ${modes['after-approve']})`,
      );
      console.log(`  approvals             ${approvals.length}: ${JSON.stringify(states)}`);
      console.log(
        `  approved after restart ${approvedAfterRestart} (left pending by a kill, approved on the next bot, all finished)`,
      );
      console.log(
        `  lost                  ${lost} (approved or executing left behind, pending without expiry timer, incidents stuck checking: ${stuck})`,
      );
      console.log(`  re-run                ${reRun}`);
      console.log(
        `  still pending         ${clicksCut} (killed before anyone approved them; each keeps its expiry timer)`,
      );
    } finally {
      await store.close();
    }
  } finally {
    if (bot) await bot.stop('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  }
}
