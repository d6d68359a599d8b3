/** `healthbot runbooks coverage`: the documented health sets and how each is answered. */
import { coverage, EXCHANGE_VERSIONS, isExchangeVersion } from '../runbooks/coverage.ts';
import { loadRunbooks } from '../runbooks/index.ts';
import { LOCALES_DIR, RUNBOOKS_DIR } from '../wiring/paths.ts';
import type { CliArgs } from './args.ts';
import type { CommandResult } from './chat-commands.ts';

const STATUS_WORDS = { runbook: 'runbook', generic: 'generic flow', 'not-applicable': 'not on this version' } as const;

export async function runbooksCoverage(args: CliArgs): Promise<CommandResult> {
  const version = args.version ?? '2013';
  if (!isExchangeVersion(version))
    return { exitCode: 2, output: `--version must be one of ${EXCHANGE_VERSIONS.join(', ')}` };
  const { runbooks, known } = await loadRunbooks(RUNBOOKS_DIR, { localesDir: LOCALES_DIR });
  const rows = coverage(runbooks, known, version);
  const counts = { runbook: 0, generic: 0, 'not-applicable': 0 };
  for (const r of rows) counts[r.status]++;
  if (args.json) return { exitCode: 0, output: JSON.stringify({ version, counts, healthSets: rows }, null, 2) };
  const table = [['Health set', 'Answered by', 'Runbook', 'Templates', 'Monitors', 'Article']];
  for (const r of rows)
    table.push([
      r.healthSet,
      STATUS_WORDS[r.status],
      r.runbook ?? '-',
      r.templates.join(', ') || '-',
      r.monitors ? String(r.monitors) : '-',
      r.article,
    ]);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push(
    '',
    `Exchange ${version}: ${rows.length} documented health sets; ${counts.runbook} with a runbook, ${counts.generic} answered by the generic flow, ${counts['not-applicable']} not on this version.`,
  );
  return { exitCode: 0, output: lines.join('\n') };
}
