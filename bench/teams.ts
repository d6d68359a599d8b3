/**
 * Teams: how fast the adapter acknowledges a burst of 200 channel messages while their diagnoses
 * run on the lab with realistic latencies; how fast a click is answered (Teams gives it a few
 * seconds) for a refusal and for a rerun; how many Bot Connector calls one diagnosis costs; and
 * how long rendering an Adaptive Card takes and how big it is (Teams takes about 28 KB).
 *
 * The adapter runs in this process with the real engine, the embedded database and the lab. The
 * Bot Connector is a stand-in answering after 30 ms, like a nearby Teams region. Requests are
 * sent from this process too, so latencies include the sender's share of the event loop: read
 * them as upper bounds.
 *
 * Run: `npx tsx bench/teams.ts` (or through bench/run.ts once it lists this file).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { systemClock } from '../src/core/index.ts';
import { openStore, auditKey } from '../src/store/index.ts';
import type { Connector } from '../adapters/teams/connector.ts';
import { createTeamsAdapter } from '../adapters/teams/index.ts';
import { renderCard } from '../adapters/teams/render.ts';
import { fmt, median, percentile } from './stats.ts';
import { benchEngine, benchLab } from './engine.ts';

/** Signs the audit records of this run's stores (not a secret: nothing here outlives the run). */
const AUDIT_KEY = auditKey('healthbot-test-audit-key-0123456789abcdef');

const root = join(import.meta.dirname, '..');
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(root, 'test/teams/fixtures', `${name}.json`), 'utf8')) as Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const PEOPLE = {
  alice: { id: '29:alice', name: 'Alice Admin', aadObjectId: 'aad-alice', userPrincipalName: 'alice@contoso.com' },
  bob: { id: '29:bob', name: 'Bob Backup', aadObjectId: 'aad-bob', userPrincipalName: 'bob@contoso.com' },
};

/** The Bot Connector, answering after `latencyMs`; counts calls by kind. */
export function standInConnector(latencyMs: number) {
  const calls = { send: 0, update: 0, member: 0, personal: 0 };
  const cards = new Map<string, { conversationId: string; body: Record<string, unknown> }>();
  let next = 1;
  const connector: Connector = {
    async send(_url, conversationId, activity) {
      calls.send++;
      await sleep(latencyMs);
      const id = `m${next++}`;
      cards.set(id, { conversationId, body: activity });
      return id;
    },
    async update(_url, conversationId, activityId, activity) {
      calls.update++;
      await sleep(latencyMs);
      cards.set(activityId, { conversationId, body: activity });
    },
    async member(_url, _conversation, userId) {
      calls.member++;
      await sleep(latencyMs);
      const p = Object.values(PEOPLE).find((x) => x.id === userId);
      if (!p) throw Object.assign(new Error('not a member'), { statusCode: 404 });
      return p;
    },
    async openPersonalChat(_url, input) {
      calls.personal++;
      await sleep(latencyMs);
      return `a:personal-${input.userId}`;
    },
  };
  return { connector, calls, cards };
}

function cardOf(body: Record<string, unknown>): Record<string, unknown> {
  return (body.attachments as { content: Record<string, unknown> }[])[0]!.content;
}

function actionIds(card: unknown, match: RegExp): string | undefined {
  let found: string | undefined;
  const walk = (n: unknown, title?: string) => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach((x) => walk(x, title));
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.ShowCard') return walk((o.card as Record<string, unknown>).actions, String(o.title));
    if (o.type === 'Action.Execute' && match.test(title ?? String(o.title)))
      found = String((o.data as Record<string, unknown>).healthbotAction);
    for (const [k, v] of Object.entries(o)) if (k !== 'fallback') walk(v, title);
  };
  walk((card as Record<string, unknown>).actions);
  return found;
}

export async function benchTeams(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'healthbot-bench-teams-'));
  const store = await openStore({ dataDir: dir, auditKey: AUDIT_KEY });
  const lab = await benchLab('imap-backend-hang');
  const fake = standInConnector(30);
  const ref: { adapter?: ReturnType<typeof createTeamsAdapter> } = {};
  const engine = await benchEngine({ gateway: lab, store, surfaces: () => ref.adapter!.surface, labPolicy: true });
  const adapter = (ref.adapter = createTeamsAdapter({
    engine,
    store,
    clock: systemClock,
    log: () => {},
    connector: fake.connector,
    config: { appId: '', insecureDev: true },
    texts: {},
  }));
  const app = express();
  app.use(adapter.router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  const post = async (body: unknown) => {
    const t = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return {
      ms: performance.now() - t,
      status: res.status,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  };
  const base = fixture('message-channel-mention');
  const channel = (base.conversation as { id: string }).id.split(';')[0]!;
  const message = (i: number) => ({
    ...base,
    id: `burst-${i}`,
    from: { id: PEOPLE.alice.id, name: PEOPLE.alice.name, aadObjectId: PEOPLE.alice.aadObjectId },
    conversation: { ...(base.conversation as object), id: `${channel};messageid=${1000 + i}` },
    text: "<at>Healthbot</at> what's wrong with IMAP on server1?",
  });

  try {
    // 1. A burst of 200 questions, each in its own thread.
    const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => post(message(i))));
    const acks = burst.map((r) => r.ms);
    const t0 = performance.now();
    await adapter.idle();
    const drained = performance.now() - t0;
    console.log(
      `burst of 200 messages: acknowledged ${burst.filter((r) => r.status === 200).length}/200, median ${fmt(median(acks))} ms, p95 ${fmt(percentile(acks, 95))} ms, max ${fmt(Math.max(...acks))} ms; all diagnoses done ${fmt(drained / 1000, 1)} s later`,
    );
    console.log(
      `Bot Connector calls per diagnosis: ${fmt(fake.calls.send / 200, 2)} posts, ${fmt(fake.calls.update / 200, 2)} updates; member lookups for the burst: ${fake.calls.member} (cached per person)`,
    );

    // 2. Clicks: a refusal (the requester approving their own request) and a rerun.
    const invoke = fixture('invoke-action-execute');
    const click = (i: number, conversationId: string, replyToId: string, actionId: string, who: keyof typeof PEOPLE) =>
      post({
        ...invoke,
        id: `f:click-${i}-${randomUUID()}`,
        from: { id: PEOPLE[who].id, name: PEOPLE[who].name, aadObjectId: PEOPLE[who].aadObjectId },
        conversation: { ...(invoke.conversation as object), id: conversationId },
        replyToId,
        value: {
          action: { type: 'Action.Execute', verb: 'healthbot.action', data: { healthbotAction: actionId } },
          trigger: 'manual',
        },
      });
    const diagnoses = [...fake.cards]
      .filter(([, c]) => /problem confirmed/.test(JSON.stringify(cardOf(c.body).body)))
      .slice(0, 30);
    const requests = await Promise.all(
      diagnoses.map(([id, c], i) => click(i, c.conversationId, id, actionIds(cardOf(c.body), /Restart/)!, 'alice')),
    );
    await adapter.idle();
    const approvals = [...fake.cards].filter(([, c]) => /Approval needed/.test(JSON.stringify(cardOf(c.body).body)));
    const refusals = await Promise.all(
      approvals.map(([id, c], i) =>
        click(100 + i, c.conversationId, id, actionIds(cardOf(c.body), /^Approve$/)!, 'alice'),
      ),
    );
    const refusalMs = refusals.map((r) => r.ms);
    console.log(
      `click that requests approval (${requests.length} at once): median ${fmt(median(requests.map((r) => r.ms)))} ms, p95 ${fmt(
        percentile(
          requests.map((r) => r.ms),
          95,
        ),
      )} ms`,
    );
    console.log(
      `click refused to the clicker alone (${refusals.length} at once): median ${fmt(median(refusalMs))} ms, p95 ${fmt(percentile(refusalMs, 95))} ms; ${refusals.filter((r) => JSON.stringify(r.json).includes('Only you can see this')).length} answered with the banner`,
    );
    await adapter.idle();
    const reruns = await Promise.all(
      diagnoses
        .slice(0, 20)
        .map(([id, c], i) =>
          click(200 + i, c.conversationId, id, actionIds(cardOf(fake.cards.get(id)!.body), /Rerun/)!, 'bob'),
        ),
    );
    const working = reruns.filter((r) => JSON.stringify(r.json).includes('Working on it')).length;
    console.log(
      `rerun click (20 at once, probes take seconds on the lab): median ${fmt(median(reruns.map((r) => r.ms)))} ms, max ${fmt(Math.max(...reruns.map((r) => r.ms)))} ms; ${20 - working} answered with the new card, ${working} with "working" at the 2.5 s budget`,
    );
    await adapter.idle();

    // 3. Rendering.
    const big = diagnoses[0] ? fake.cards.get(diagnoses[0][0])! : undefined;
    const neutral = {
      kind: 'diagnosis' as const,
      title: 'IMAP on SERVER1: problem confirmed',
      severity: 'critical' as const,
      facts: Array.from({ length: 8 }, (_, i) => ({ label: `Fact ${i}`, value: 'x'.repeat(80) })),
      sections: [
        { kind: 'code' as const, text: 'y'.repeat(600) },
        { kind: 'text' as const, text: 'z'.repeat(200) },
      ],
      actions: Array.from({ length: 4 }, (_, i) => ({
        id: randomUUID(),
        label: `Step ${i}`,
        style: 'default' as const,
      })),
    };
    const n = 5000;
    const t1 = performance.now();
    for (let i = 0; i < n; i++) renderCard(neutral);
    const perCard = ((performance.now() - t1) * 1000) / n;
    console.log(
      `rendering a full diagnosis card: ${fmt(perCard, 0)} µs; JSON ${JSON.stringify(renderCard(neutral)).length} bytes (a real one from the burst: ${big ? JSON.stringify(cardOf(big.body)).length : 0} bytes; Teams takes about 28 KB)`,
    );
  } finally {
    await adapter.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await lab.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchTeams();
