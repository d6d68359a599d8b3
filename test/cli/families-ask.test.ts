/**
 * The check, through the CLI: for each family, `healthbot ask "<question>" --scenario
 * <its scenario> --json` names the failing monitor and its probe result, and offers the family's
 * ladder (the next step is a step of that monitor's ladder).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { loadRunbooks } from '../../src/runbooks/index.ts';
import { removeDataDir } from '../support/data-dirs.ts';
import { FAMILY_CASES } from '../engine/family-cases.ts';

const root = join(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDataDir));

interface Asked {
  status: string;
  healthSet: string;
  ladder: { monitor: string; position: number } | null;
  findings: { healthSet: string; monitor: string; probe: string | null; probeResult: string | null }[];
  actions: { kind: string; stepId?: string; monitor?: string; label: string }[];
}

async function ask(question: string, scenario: string): Promise<{ code: number; out: Asked }> {
  const data = mkdtempSync(join(tmpdir(), 'healthbot-family-'));
  dirs.push(data);
  let out = '';
  let err = '';
  const code = await runCli(['ask', question, '--scenario', scenario, '--json', '--data', data], {
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  if (!out) throw new Error(`no output (exit ${code}): ${err}`);
  return { code, out: JSON.parse(out) as Asked };
}

describe('healthbot ask --scenario --json, one scenario per family', () => {
  for (const c of FAMILY_CASES) {
    it(
      `${c.scenario}: ${c.monitor}${c.probe ? ', its probe result' : ''} and the ${c.healthSet} ladder`,
      { timeout: 60_000 },
      async () => {
        const { runbooks } = await loadRunbooks(join(root, 'runbooks'), { localesDir: join(root, 'locales') });
        const walked = c.ladderMonitor ?? c.monitor;
        const ladder = runbooks.flatMap((r) => r.monitors).find((m) => m.name === walked)!.ladder;
        const { code, out } = await ask(c.question, c.scenario);
        expect(code).toBe(0);
        expect(out.status).toBe('confirmed');
        expect(out.healthSet).toBe(c.healthSet);
        const finding = out.findings.find((f) => f.monitor === c.monitor);
        expect(finding).toMatchObject({
          healthSet: c.healthSet,
          monitor: c.monitor,
          ...(c.probe ? { probe: c.probe, probeResult: 'Failed' } : {}),
        });
        expect(out.ladder?.monitor).toBe(walked);
        // The next step is a rung of that monitor's ladder, or a fix read before it (a component left
        // Draining by maintenance is set Active before the ladder starts). A manual step offers its
        // "Done" and "Skip" instead of a button that runs it.
        const step = out.actions.find((a) => a.kind === 'step' || a.kind === 'fix' || a.kind === 'manual');
        expect(step?.monitor).toBe(walked);
        if (step?.kind === 'step' || step?.kind === 'manual') expect(ladder.map((s) => s.id)).toContain(step.stepId);
        expect(out.actions.some((a) => a.kind === 'show-ladder')).toBe(true);
      },
    );
  }
});
