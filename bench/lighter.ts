/**
 * Issue 20's table in one run: memory, start and CLI time, acknowledgement bursts and the
 * diagnosis ratio, each next to its goal. The bot and the CLI are timed as whole processes, the
 * way people start them (`npm start`, `npx healthbot`); the bursts run like bench/slack.ts, in a
 * child process started with the V8 flags `npm start` gives the bot (package.json), since those
 * flags trade collection work for memory; the diagnosis runs in this process like bench/diagnosis.ts.
 *
 * Knobs (environment): LIGHTER_RUNS (starts and CLI runs per figure, default 3; the CLI gets
 * one more), LIGHTER_APPROVALS (default 1000), LIGHTER_ONLY (a comma list of start, bursts, diagnosis, storm), LIGHTER_COMPARE
 * (another checkout to run the start, memory and CLI rounds on too, alternately).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metric, rssMiB, startBot, timeCommand } from './bot-process.ts';
import { IMAP_CASE, measureDiagnosis } from './diagnosis.ts';
import { fillApprovals } from './pending-approvals.ts';
import { runSlackBurst } from './slack.ts';
import { httpFloor } from './http-floor.ts';
import { teamsBurstFromAnotherProcess } from './teams-burst.ts';
import { fmt, median, percentile } from './stats.ts';
import { ROOT } from './engine.ts';
import { storm } from './alerts.ts';
import { chatStorm } from './chat-storm.ts';

const RUNS = Number(process.env.LIGHTER_RUNS ?? 3);
const APPROVALS = Number(process.env.LIGHTER_APPROVALS ?? 1000);
const ONLY = process.env.LIGHTER_ONLY?.split(',');
const QUESTION = "what's wrong with IMAP on server1?";
const MiB = 1024 * 1024;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly goal: string;
}
const rows: Row[] = [];
const row = (figure: string, value: string, goal: string) => {
  rows.push({ figure, value, goal });
  console.log(`  ${figure}: ${value}   (goal ${goal})`);
};
const range = (xs: readonly number[], digits = 0, unit = '') =>
  `median ${fmt(median(xs), digits)}${unit} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}, n=${xs.length})`;

interface TreeFigures {
  readonly label: string;
  readonly root: string;
  readonly fresh: number[];
  readonly warm: number[];
  readonly freshCpu: number[];
  readonly warmCpu: number[];
  readonly idle: number[];
  readonly cli: number[];
  readonly cliCpu: number[];
  /** The same command started directly (bin/healthbot.js, what npx runs), and npx running nothing. */
  readonly direct: { ms: number[]; cpu: number[] };
  readonly npxAlone: { ms: number[]; cpu: number[] };
  withApprovals?: { rss: number; heap: number; idleRss: number; idleHeap: number; justAfter: number };
}

const figuresFor = (label: string, root: string): TreeFigures => ({
  label,
  root,
  fresh: [],
  warm: [],
  freshCpu: [],
  warmCpu: [],
  idle: [],
  cli: [],
  cliCpu: [],
  direct: { ms: [], cpu: [] },
  npxAlone: { ms: [], cpu: [] },
});

/** One round on one checkout: a start on a fresh data folder, a warm start, idle memory. */
async function startRound(f: TreeFigures, dataDir: string, approvals: number): Promise<void> {
  const env = { HEALTHBOT_DATA_DIR: dataDir, HEALTHBOT_LAB_SCENARIO: 'imap-backend-hang' };
  const first = await startBot(env, f.root);
  f.fresh.push(first.startMs);
  f.freshCpu.push(first.startCpu);
  await first.stop();
  const bot = await startBot(env, f.root);
  f.warm.push(bot.startMs);
  f.warmCpu.push(bot.startCpu);
  await settle(2_000); // idle: start-up garbage collected, timers quiet
  const idleRss = rssMiB(bot.botPid());
  f.idle.push(idleRss);
  if (approvals > 0) {
    const idleHeap = await metric(bot.url, 'healthbot_nodejs_heap_size_used_bytes');
    await fillApprovals(bot.url, approvals);
    await settle(2_000);
    const justAfter = rssMiB(bot.botPid());
    // Idle again: V8 gives back what the burst of questions grew the heap by once it is quiet.
    await settle(13_000);
    f.withApprovals = {
      idleRss,
      idleHeap,
      justAfter,
      rss: rssMiB(bot.botPid()),
      heap: await metric(bot.url, 'healthbot_nodejs_heap_size_used_bytes'),
    };
  }
  await bot.stop();
}

async function cliRun(f: TreeFigures, dataDir: string, counted: boolean): Promise<void> {
  const r = await timeCommand(['npx', 'healthbot', 'ask', QUESTION], { HEALTHBOT_DATA_DIR: dataDir }, f.root);
  if (r.code !== 0) throw new Error(`healthbot ask exited with ${r.code}: ${r.output.slice(-400)}`);
  if (!counted) return; // the first run warms the file cache
  f.cli.push(r.ms);
  f.cliCpu.push(r.cpu);
  // npx's own share: the same command without it, and npx with a command that does nothing.
  const direct = await timeCommand(['./bin/healthbot.js', 'ask', QUESTION], { HEALTHBOT_DATA_DIR: dataDir }, f.root);
  if (direct.code !== 0)
    throw new Error(`bin/healthbot.js ask exited with ${direct.code}: ${direct.output.slice(-400)}`);
  const npx = await timeCommand(['npx', '-c', 'true'], {}, f.root);
  f.direct.ms.push(direct.ms);
  f.direct.cpu.push(direct.cpu);
  f.npxAlone.ms.push(npx.ms);
  f.npxAlone.cpu.push(npx.cpu);
}

/**
 * Starts, memory and the CLI. With LIGHTER_COMPARE=<another checkout> (with node_modules), the same
 * rounds run there too, alternating with this one, so a before/after pair shares the machine's mood.
 */
async function startsAndMemory(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'healthbot-bench-lighter-'));
  const trees = [
    ...(process.env.LIGHTER_COMPARE ? [figuresFor('compared checkout', process.env.LIGHTER_COMPARE)] : []),
    figuresFor('this checkout', ROOT),
  ];
  try {
    for (let i = 0; i < RUNS; i++)
      for (const [t, f] of trees.entries()) await startRound(f, join(base, `data-${t}-${i}`), i === 0 ? APPROVALS : 0);
    for (let i = 0; i < RUNS + 1; i++)
      for (const [t, f] of trees.entries()) await cliRun(f, join(base, `data-${t}-0`), i > 0);
    for (const f of trees) {
      const tag = trees.length > 1 ? ` [${f.label}]` : '';
      row(`Resident memory of the idle bot, embedded store${tag}`, range(f.idle, 0, ' MiB'), '≤ 150 MB (143 MiB)');
      const a = f.withApprovals;
      if (a)
        row(
          `The same, with ${APPROVALS} pending approvals${tag}`,
          `+${fmt(a.rss - a.idleRss, 0)} MiB resident 15 s after the last (${fmt(a.idleRss, 0)} → ${fmt(a.rss, 0)}; ${fmt(a.justAfter, 0)} 2 s after); live heap +${fmt((a.heap - a.idleHeap) / MiB, 1)} MiB`,
          '≤ +50 MB',
        );
      row(
        `\`npm start\` until the page answers, warm${tag}`,
        `${range(f.warm, 0, ' ms')}; CPU ${fmt(median(f.warmCpu), 2)} s`,
        '≤ 1000 ms',
      );
      row(
        `\`npm start\` until the page answers, fresh data folder${tag}`,
        `${range(f.fresh, 0, ' ms')}; CPU ${fmt(median(f.freshCpu), 2)} s`,
        '≤ 3000 ms',
      );
      row(
        `One CLI command (\`npx healthbot ask …\`), warm${tag}`,
        `${range(f.cli, 0, ' ms')}; CPU ${fmt(median(f.cliCpu), 2)} s`,
        '≤ 500 ms',
      );
      row(
        `The same started directly (\`bin/healthbot.js ask …\`, what npx runs)${tag}`,
        `${range(f.direct.ms, 0, ' ms')}; CPU ${fmt(median(f.direct.cpu), 2)} s`,
        '—',
      );
      row(
        `npx's own share (\`npx -c true\`: npx running nothing)${tag}`,
        `${range(f.npxAlone.ms, 0, ' ms')}; CPU ${fmt(median(f.npxAlone.cpu), 2)} s`,
        '—',
      );
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

async function bursts(): Promise<void> {
  const slack = await runSlackBurst(200, 6_000);
  row(
    'Slack acknowledgement p99, 200 events arriving together',
    `p99 ${fmt(percentile(slack.latencies, 99), 0)} ms, median ${fmt(median(slack.latencies), 0)} ms (${slack.statuses.filter((s) => s === 200).length}/200 OK)`,
    '≤ 50 ms',
  );
  const fresh = await httpFloor(200, startFlags(), false);
  const warmed = await httpFloor(200, startFlags(), true);
  const p99 = (xs: readonly number[]) => percentile(xs, 99);
  row(
    "— the floor: Node's own HTTP server alone, answering the same burst",
    `fresh p99 ${fmt(p99(fresh), 0)} ms; after the warming the bot does, p99 ${fmt(p99(warmed), 0)} ms, median ${fmt(median(warmed), 0)} ms (bot ÷ warmed floor at p99: ${fmt(p99(slack.latencies) / p99(warmed), 2)})`,
    '—',
  );
  const teams = await teamsBurstFromAnotherProcess(200);
  row(
    'Teams acknowledgement of a 200-message burst, sender in another process',
    `median ${fmt(median(teams.ms), 0)} ms, p95 ${fmt(percentile(teams.ms, 95), 0)} ms (${teams.ok}/200 OK)`,
    'median ≤ 100 ms, p95 ≤ 500 ms',
  );
}

/** The V8 flags of `npm start` (package.json's start script: `node <flags> bin/start.js`). */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((w) => w.startsWith('--'));
}

const ROWS_MARK = 'LIGHTER_ROWS ';

/** The bursts in a child process with `npm start`'s flags; its rows come back on one marked line. */
async function burstsAsTheBotRuns(): Promise<void> {
  const flags = startFlags();
  console.log(`  (bursts in a child process with npm start's flags: ${flags.join(' ') || 'none'})`);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', join(import.meta.dirname, 'lighter.ts')], {
      cwd: ROOT,
      env: { ...process.env, LIGHTER_BURSTS_CHILD: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`bursts child exited with ${code}`))));
  });
  const line = out.split('\n').find((l) => l.startsWith(ROWS_MARK));
  if (!line) throw new Error(`bursts child printed no rows:\n${out.slice(-800)}`);
  for (const r of JSON.parse(line.slice(ROWS_MARK.length)) as Row[]) row(r.figure, r.value, r.goal);
}

async function diagnosis(): Promise<void> {
  const d = await measureDiagnosis(IMAP_CASE, 10);
  row(
    'Diagnosis wall ÷ critical path, the IMAP question',
    `${fmt(median(d.ratios), 2)}x (wall ${fmt(median(d.wall), 0)} ms, GSH + slowest probe ${fmt(median(d.critical), 0)} ms)`,
    '≤ 1.1',
  );
}

export async function benchLighter(): Promise<void> {
  console.log(
    `issue 20's figures (${RUNS} starts each, medians; the machine is shared, so read ratios within this run)`,
  );
  if (!ONLY || ONLY.includes('bursts')) await burstsAsTheBotRuns();
  if (!ONLY || ONLY.includes('diagnosis')) await diagnosis();
  if (!ONLY || ONLY.includes('start')) await startsAndMemory();
  if (!ONLY || ONLY.includes('storm')) {
    const s = await storm();
    row(
      '429s in a 30-incident storm',
      `Slack ${s.slack429} of ${s.slackCalls} Web API calls, Teams ${s.teams429} of ${s.teamsCalls} Bot Connector calls (stand-ins enforcing the documented limits, bench/support/); ${s.slackRootCards} Slack and ${s.teamsRootCards} Teams alert cards`,
      '0',
    );
    const c = await chatStorm();
    row(
      `429s when ${c.questions} people ask about ${c.questions} different problems at once, in one Slack and one Teams channel`,
      `Slack ${c.slack429} of ${c.slackCalls} calls (${c.byMethod}); Teams ${c.teams429} of ${c.teamsCalls} (${c.teamsByKind}); every card final after ${fmt(c.doneMs / 1000, 1)} s`,
      '0',
    );
  }
  console.log('\n| Figure | Measured | Goal |\n|---|---|---|');
  for (const r of rows) console.log(`| ${r.figure} | ${r.value} | ${r.goal} |`);
}

if (process.env.LIGHTER_BURSTS_CHILD) {
  await bursts();
  console.log(`${ROWS_MARK}${JSON.stringify(rows)}`);
} else if (import.meta.url === `file://${process.argv[1]}`) await benchLighter();
