/**
 * Diagnosis wall time against its critical path, on the lab with realistic latencies
 * (Get-ServerHealth 50 ms, probes 200–400 ms, scaled down from production seconds).
 *
 * For each run we time every gateway call. The critical path is Get-ServerHealth plus the slowest
 * probe (the definition), and, since a CTP probe's failure names a back end that is then
 * read, also that path including the back-end Get-ServerHealth. The sequential sum is what a
 * person with a runbook would wait for, one command after another.
 */
import { randomUUID } from 'node:crypto';
import type { ExchangeGateway, Operation } from '../src/core/index.ts';
import { RecordingSurface } from '../src/cli/surface.ts';
import { benchEngine, benchLab } from './engine.ts';
import { fmt, median } from './stats.ts';

interface Call {
  readonly op: Operation;
  readonly start: number;
  readonly end: number;
}

function timed(inner: ExchangeGateway, calls: Call[]): ExchangeGateway {
  return {
    listServers: () => inner.listServers(),
    run: (async (op: Operation, options?: Parameters<ExchangeGateway['run']>[1]) => {
      const start = performance.now();
      try {
        return await inner.run(op as never, options);
      } finally {
        calls.push({ op, start, end: performance.now() });
      }
    }) as ExchangeGateway['run'],
    health: () => inner.health(),
    close: () => inner.close(),
  };
}

interface Case {
  readonly scenario: string;
  readonly question: string;
}

const CASES: readonly Case[] = [
  // The question: one failing probe whose error names a back end that is then read.
  { scenario: 'imap-backend-hang', question: "what's wrong with IMAP on server1?" },
  // A whole-server question with five failing probes: this is where running them in parallel counts.
  { scenario: 'server1-many-failures', question: 'check server1' },
  // Issue 14: Managed Availability's actions, two probes' history and the Windows events on the card.
  { scenario: 'ma-already-restarted', question: "what's wrong with IMAP on server1?" },
];

/** The side reads of the card (issue 14), each with its own time limit, beside the probes. */
const EVIDENCE_KINDS = new Set([
  'get-recovery-actions',
  'get-probe-history',
  'get-windows-events',
  'get-monitoring-item-identity',
]);

/** The question and its wall ÷ critical path (GSH + slowest probe), median over `runs`. */
export const IMAP_CASE: Case = CASES[0]!;

export async function measureDiagnosis(c: Case, runs: number) {
  const lab = await benchLab(c.scenario);
  const calls: Call[] = [];
  const surface = new RecordingSurface();
  const engine = await benchEngine({ gateway: timed(lab, calls), surfaces: () => surface });
  const actor = { platform: 'bench', userId: 'b', displayName: 'bench' };
  const wall: number[] = [];
  const critical: number[] = [];
  const criticalWithBackend: number[] = [];
  const sequential: number[] = [];
  let probesPerRun = 0;
  let evidencePerRun = 0;
  for (let i = 0; i < runs + 2; i++) {
    calls.length = 0;
    const start = performance.now();
    await engine.handle({
      kind: 'message',
      eventId: randomUUID(),
      conversation: `bench:${i}`,
      actor,
      text: c.question,
    });
    const elapsed = performance.now() - start;
    if (i < 2) continue; // warm-up: module loading and JIT
    const dur = (call: Call) => call.end - call.start;
    const gsh = calls.filter((call) => call.op.kind === 'get-server-health');
    const probes = calls.filter((call) => call.op.kind === 'invoke-probe');
    probesPerRun = probes.length;
    evidencePerRun = calls.filter((call) => EVIDENCE_KINDS.has(call.op.kind)).length;
    const first = gsh[0] ? dur(gsh[0]) : 0;
    const slowest = Math.max(0, ...probes.map(dur));
    const backend = gsh.slice(1).reduce((s, call) => Math.max(s, dur(call)), 0);
    wall.push(elapsed);
    critical.push(first + slowest);
    criticalWithBackend.push(first + slowest + backend);
    sequential.push(calls.reduce((s, call) => s + dur(call), 0));
  }
  await lab.close();
  const ratios = wall.map((w, i) => w / critical[i]!);
  const ratiosBackend = wall.map((w, i) => w / criticalWithBackend[i]!);
  const seqRatios = wall.map((w, i) => w / sequential[i]!);
  return {
    wall,
    critical,
    criticalWithBackend,
    sequential,
    ratios,
    ratiosBackend,
    seqRatios,
    probesPerRun,
    evidencePerRun,
  };
}

async function benchCase(c: Case, runs: number): Promise<void> {
  const {
    wall,
    critical,
    criticalWithBackend,
    sequential,
    ratios,
    ratiosBackend,
    seqRatios,
    probesPerRun,
    evidencePerRun,
  } = await measureDiagnosis(c, runs);
  console.log(
    `diagnosis "${c.question}" (lab ${c.scenario}, realistic latency, ${runs} runs, ${probesPerRun} probe(s) and ${evidencePerRun} evidence read(s) each)`,
  );
  console.log(`  wall time                         median ${fmt(median(wall))} ms`);
  console.log(
    `  critical path (GSH + slowest)     median ${fmt(median(critical))} ms   wall/critical  median ${fmt(median(ratios), 2)}x (goal ≤ 1.20)`,
  );
  console.log(
    `  critical path + back-end GSH      median ${fmt(median(criticalWithBackend))} ms   wall/critical  median ${fmt(median(ratiosBackend), 2)}x`,
  );
  console.log(
    `  sequential sum of all calls       median ${fmt(median(sequential))} ms   wall/sequential median ${fmt(median(seqRatios), 2)}x`,
  );
}

export async function benchDiagnosis(runs = 15): Promise<void> {
  for (const c of CASES) await benchCase(c, runs);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDiagnosis();
