/**
 * Start-up cost of the runbooks: reading every runbook file and ladder template, expanding the
 * templates and validating everything (schema, semantics, every text in every locale), as
 * `loadRunbooks` does once when the bot starts. Also lint, which runs the same work and keeps
 * every problem. Figures are per call, median of repeated calls after warm-up.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lintRunbooks, loadRunbooks } from '../src/runbooks/index.ts';
import { fmt, median, percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'runbooks');
const localesDir = join(root, 'locales');

export async function benchRunbooks(runs = 20): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).length;
  const templates = (await readdir(join(dir, 'templates'))).filter((f) => f.endsWith('.yaml')).length;
  const load: number[] = [];
  const lint: number[] = [];
  let monitors = 0;
  let steps = 0;
  for (let i = 0; i < runs + 2; i++) {
    let start = performance.now();
    const { runbooks } = await loadRunbooks(dir, { localesDir });
    const loaded = performance.now() - start;
    start = performance.now();
    await lintRunbooks(dir, { localesDir });
    const linted = performance.now() - start;
    if (i < 2) continue; // warm-up: module loading and JIT
    load.push(loaded);
    lint.push(linted);
    monitors = runbooks.reduce((n, r) => n + r.monitors.length, 0);
    steps = runbooks.reduce((n, r) => n + r.monitors.reduce((m, x) => m + x.ladder.length, 0), 0);
  }
  console.log(
    `load and validate all runbooks at start (${files} files, ${templates} templates, ${monitors} monitors, ${steps} ladder steps; ${runs} runs)`,
  );
  console.log(
    `  loadRunbooks                      median ${fmt(median(load))} ms   p95 ${fmt(percentile(load, 95))} ms`,
  );
  console.log(
    `  lintRunbooks                      median ${fmt(median(lint))} ms   p95 ${fmt(percentile(lint, 95))} ms`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRunbooks();
