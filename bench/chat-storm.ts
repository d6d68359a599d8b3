/**
 * A storm in chat: 30 people ask about 30 different problems (5 health sets on 6 servers) in one
 * Slack channel and in one Teams channel, all in the same second. Slack and Teams are the
 * stand-ins that enforce the platforms' documented limits (bench/support/), so every card the bot
 * posts and every update it makes count against them: the figure is the 429s the bot provoked,
 * next to the calls it made and the time until every card was final.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { systemClock } from '../src/core/index.ts';
import { createLabGateway } from '../src/exchange/lab/index.ts';
import { auditKey, openStore } from '../src/store/index.ts';
import { withTurnsWhenEmbedded } from '../src/wiring/turn-taking-store.ts';
import { scenariosWith } from './alerts.ts';
import { onBothPlatforms } from './support/platforms.ts';
import { runbooks, ROOT } from './engine.ts';

const AUDIT_KEY = auditKey('healthbot-test-audit-key-0123456789abcdef');
const SIGNING_SECRET = 'bench-signing-secret';
const SETS = ['IMAP', 'OWA', 'ECP', 'ActiveSync', 'Autodiscover'];
const PEOPLE = ['UALICE', 'UBOB', 'UCAROL', 'UDAVE', 'UERIN', 'UFRANK'];

export interface ChatStorm {
  readonly questions: number;
  readonly slack429: number;
  readonly slackCalls: number;
  readonly teams429: number;
  readonly teamsCalls: number;
  /** From the first question to every card final, in ms. */
  readonly doneMs: number;
  readonly byMethod: string;
  readonly teamsByKind: string;
}

const sign = (body: string) => {
  const at = Math.floor(Date.now() / 1000);
  const mac = createHmac('sha256', SIGNING_SECRET).update(`v0:${at}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(at), 'x-slack-signature': `v0=${mac}` };
};

export async function chatStorm(): Promise<ChatStorm> {
  const dir = mkdtempSync(join(tmpdir(), 'healthbot-bench-chat-storm-'));
  const scenarios = join(dir, 'scenarios');
  mkdirSync(scenarios);
  scenariosWith(scenarios, 'bench-chat-storm', 6);
  const { runbooks: books } = await runbooks();
  const lab = await createLabGateway({
    runbooks: books,
    scenario: 'bench-chat-storm',
    scenariosDir: scenarios,
    clock: systemClock,
    latency: 'realistic',
  });
  // Opened as the bot opens it (src/wiring/services.ts).
  const store = withTurnsWhenEmbedded(await openStore({ dataDir: join(dir, 'data'), auditKey: AUDIT_KEY }));
  // The default update budgets and pacing: this is the bot as shipped, against the platforms' limits.
  const platforms = await onBothPlatforms({
    gateway: lab,
    store,
    slackSigningSecret: SIGNING_SECRET,
  });
  const { slackApi, teamsApi, slack, teams } = platforms;
  const app = express();
  app.use(slack.router!);
  app.use(teams.router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const servers = (await lab.listServers()).map((s) => s.name);
    const problems = servers.flatMap((server) => SETS.map((healthSet) => ({ server, healthSet })));
    const teamsBase = JSON.parse(
      readFileSync(join(ROOT, 'test/teams/fixtures/message-channel-mention.json'), 'utf8'),
    ) as Record<string, unknown>;
    const teamsChannel = (teamsBase.conversation as { id: string }).id.split(';')[0]!;
    const started = performance.now();
    const sent = problems.flatMap(({ server, healthSet }, i) => {
      const question = `what's wrong with ${healthSet} on ${server.toLowerCase()}?`;
      const ts = `1764160000.${String(i).padStart(6, '0')}`;
      const slackBody = JSON.stringify({
        type: 'event_callback',
        team_id: 'T0BENCH',
        api_app_id: 'A0BENCH',
        event_id: `EvStorm${i}`,
        event_time: Math.floor(Date.now() / 1000),
        event: {
          type: 'app_mention',
          user: PEOPLE[i % PEOPLE.length],
          text: `<@UHEALTHBOT> ${question}`,
          ts,
          event_ts: ts,
          channel: 'C0STORM',
        },
      });
      const teamsBody = JSON.stringify({
        ...teamsBase,
        id: `storm-${i}`,
        conversation: { ...(teamsBase.conversation as object), id: `${teamsChannel};messageid=${2000 + i}` },
        text: `<at>Healthbot</at> ${question}`,
      });
      return [
        fetch(`${base}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...sign(slackBody) },
          body: slackBody,
        }),
        fetch(`${base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: teamsBody,
        }),
      ];
    });
    const answers = await Promise.all(sent);
    const refused = answers.filter((r) => r.status !== 200).length;
    if (refused > 0) throw new Error(`${refused} of ${answers.length} questions were not acknowledged`);
    await slack.idle();
    await slack.surface.flush();
    await teams.idle();
    return {
      questions: problems.length,
      slack429: slackApi.throttled(),
      slackCalls: slackApi.calls.length,
      teams429: teamsApi.throttled(),
      teamsCalls: teamsApi.calls.length,
      doneMs: performance.now() - started,
      teamsByKind: [...new Set(teamsApi.calls.map((c) => c.kind))]
        .map(
          (k) =>
            `${k} ${teamsApi.calls.filter((c) => c.kind === k).length} (429: ${teamsApi.calls.filter((c) => c.kind === k && c.status === 429).length})`,
        )
        .join(', '),
      byMethod: [...new Set(slackApi.calls.map((c) => c.method))]
        .map(
          (m) =>
            `${m} ${slackApi.calls.filter((c) => c.method === m).length} (429: ${slackApi.calls.filter((c) => c.method === m && c.status === 429).length})`,
        )
        .join(', '),
    };
  } finally {
    await platforms.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await lab.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
