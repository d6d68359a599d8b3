/**
 * Reading the answers of the recovery scripts. Tolerant of what varies (a single row arrives as an
 * object, names differ in case, a database may come as its identity's text), strict about what
 * matters: a move is counted as done only when Exchange says Succeeded and the copy is active here.
 */
import type { ActionOutcome, ServerInfo } from '../../core/index.ts';
import { rebalanceSay } from '../rebalance-say.ts';
import { asArray, asRow, field, text } from './values.ts';

const same = (a: string | undefined, b: string) => (a ?? '').split('.')[0]!.toLowerCase() === b.toLowerCase();

/** Move-ActiveMailboxDatabase -ActivatePreferredOnServer: which databases came home, which did not and why. */
export function parseRebalance(data: unknown, server: ServerInfo): ActionOutcome {
  const rows = asArray(data).map((d) => asRow(d, `the result of moving databases back to ${server.name}`));
  if (rows.length === 0)
    return {
      ok: true,
      detail: `no database had to move back to ${server.name}`,
      say: rebalanceSay({ server: server.name, moved: [], failed: [] }),
    };
  const moved: string[] = [];
  const failed: string[] = [];
  const said = { moved: [] as string[], failed: [] as string[], reasons: [] as string[] };
  for (const row of rows) {
    const database = text(field(row, 'Database', 'Identity')) ?? '?';
    const status = text(field(row, 'Status')) ?? 'unknown';
    const end = text(field(row, 'ActiveServerAtEnd'));
    const start = text(field(row, 'ActiveServerAtStart'));
    if (status.toLowerCase() === 'succeeded' && same(end, server.name)) {
      moved.push(start && !same(start, server.name) ? `${database} (from ${start})` : database);
      said.moved.push(start && !same(start, server.name) ? `${database} ← ${start}` : database);
    } else {
      const why = text(field(row, 'ErrorMessage'));
      failed.push(`${database} (${status}${end ? `, active on ${end}` : ''}${why ? `: ${why.slice(0, 200)}` : ''})`);
      said.failed.push(`${database} (${status})`);
      if (why) said.reasons.push(`${database}: ${why.slice(0, 200)}`);
    }
  }
  const parts = [
    ...(moved.length > 0 ? [`moved back to ${server.name}: ${moved.join(', ')}`] : []),
    ...(failed.length > 0 ? [`not moved: ${failed.join('; ')}`] : []),
  ];
  return { ok: failed.length === 0, detail: parts.join('; '), say: rebalanceSay({ server: server.name, ...said }) };
}
