/**
 * `healthbot audit verify` and `healthbot audit export`. Verify checks every record's MAC with the
 * audit key, the chain without gaps, and the anchors (from the anchor file and the command line),
 * so a trail whose newest records were deleted, or that was rewritten and re-hashed, or whose
 * records were moved to another incident, does not pass.
 */
import { randomBytes } from 'node:crypto';
import { timelineMarkdown } from '../core/engine/index.ts';
import type { Store } from '../core/index.ts';
import { loadConfig } from '../config.ts';
import type { Config } from '../config.ts';
import { createTranslator } from '../i18n/index.ts';
import type { AnchorPoint, ChainVerification } from '../store/index.ts';
import { auditKey, openStore, parseAnchor, readAnchors, readAuditKey, verifyAuditChain } from '../store/index.ts';
import type { CliArgs } from './args.ts';
import type { CommandResult } from './chat-commands.ts';
import { CLI_LOCK_WAIT_MS } from '../wiring/services.ts';
import { LOCALES_DIR } from '../wiring/paths.ts';

const USAGE =
  'usage: healthbot audit verify [--anchor SEQ:HASH]... [--anchors FILE] | healthbot audit export [--incident ID] [--format md|json]';

async function withStore<T>(config: Config, run: (store: Store) => Promise<T>): Promise<T> {
  // These commands only read: the store's signing key is never used, so a throwaway one will do
  // and a missing key file is reported by `verify` instead of being created here.
  const store = await openStore({
    auditKey: auditKey(randomBytes(32)),
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    holder: 'cli',
    lockTimeoutMs: CLI_LOCK_WAIT_MS,
  });
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

export async function audit(args: CliArgs, sub: string | undefined): Promise<CommandResult> {
  if (sub !== 'verify' && sub !== 'export') return { exitCode: 2, output: USAGE };
  const config = loadConfig(process.env, args.data ? { dataDir: args.data } : {});
  if (sub === 'verify') return verify(args, config);
  return withStore(config, (store) => exportTrail(args, store));
}

async function verify(args: CliArgs, config: Config): Promise<CommandResult> {
  const typed: AnchorPoint[] = [];
  for (const text of args.anchor) {
    const anchor = parseAnchor(text);
    if (!anchor)
      return {
        exitCode: 2,
        output: `--anchor must be SEQ:HASH, a record number and its 64-digit hash (got "${text}")\n${USAGE}`,
      };
    typed.push(anchor);
  }
  const anchorFile = args.anchors ?? config.audit.anchorFile;
  const fromFile = await readAnchors(anchorFile);
  const key = await readAuditKey(config.audit);
  const records = await withStore(config, (store) => store.readAudit());
  const anchors = [...fromFile.anchors, ...typed];
  const result = verifyAuditChain(records, { ...(key ? { key } : {}), anchors });
  const exitCode = result.ok ? 0 : 1;
  if (args.json)
    return {
      exitCode,
      output: JSON.stringify(
        {
          ...result,
          keyId: key?.id ?? null,
          anchorFile,
          anchorsRead: anchors.length,
          anchorLinesUnreadable: fromFile.unreadable,
        },
        null,
        2,
      ),
    };
  return {
    exitCode,
    output: describe(result, {
      keyId: key?.id,
      keyFile: config.audit.keyFile,
      anchorFile,
      anchors: anchors.length,
      unreadable: fromFile.unreadable,
    }).join('\n'),
  };
}

function describe(
  r: ChainVerification,
  c: { keyId?: string | undefined; keyFile: string; anchorFile: string; anchors: number; unreadable: number },
): string[] {
  const lines: string[] = [];
  if (r.ok)
    lines.push(`audit trail intact: ${r.checked} records, chain verified${c.keyId ? ` with key ${c.keyId}` : ''}`);
  else if (r.problems.length > 0) {
    lines.push(
      `audit trail BROKEN: first broken record ${r.firstBroken} (${r.problems.length} problem(s) in ${r.checked} records):`,
    );
    lines.push(...r.problems.map((p) => `  record ${p.seq}: ${p.problem}`));
  }
  if (r.missingSinceAnchor)
    lines.push(`missing since the last anchor: records ${r.missingSinceAnchor.from} to ${r.missingSinceAnchor.to}`);
  if (r.keyMissing)
    lines.push(
      `cannot check the keyed records: no audit key (set HEALTHBOT_AUDIT_KEY or HEALTHBOT_AUDIT_KEY_FILE; the default is ${c.keyFile})`,
    );
  if (r.unkeyed) {
    lines.push(
      `warning: records ${r.unkeyed.first} to ${r.unkeyed.last} (${r.unkeyed.count}) are unkeyed, written before the trail was keyed: they are chained, but anyone who can write the database could have rewritten them`,
    );
  }
  if (r.lastAnchor)
    lines.push(
      `last anchor: record ${r.lastAnchor.seq}${r.lastAnchor.at ? ` at ${r.lastAnchor.at}` : ''} (${c.anchors} anchor(s) checked)`,
    );
  else
    lines.push(`note: no anchors (none given, none in ${c.anchorFile}): records deleted from the end would not show`);
  if (c.unreadable > 0) lines.push(`warning: ${c.unreadable} line(s) of ${c.anchorFile} are not anchors`);
  return lines;
}

async function exportTrail(args: CliArgs, store: Store): Promise<CommandResult> {
  const records = await store.readAudit(args.incident ? { incidentId: args.incident } : {});
  if (args.format === 'json' || args.json) return { exitCode: 0, output: JSON.stringify(records, null, 2) };
  if (args.format && args.format !== 'md')
    return { exitCode: 2, output: `--format must be md or json (got ${args.format})` };
  const translator = createTranslator(LOCALES_DIR);
  const t = translator.for(translator.resolve(args.lang));
  const incidentIds = args.incident
    ? [args.incident]
    : [...new Set(records.map((r) => r.incidentId).filter((id): id is string => !!id))];
  const parts: string[] = [];
  for (const id of incidentIds) {
    const incident = await store.getIncident(id);
    if (!incident) {
      parts.push(`# Incident ${id}\n\n(no such incident)`);
      continue;
    }
    parts.push(
      timelineMarkdown(
        t,
        incident,
        records.filter((r) => r.incidentId === id),
      ),
    );
  }
  return {
    exitCode: incidentIds.length > 0 || records.length > 0 ? 0 : 1,
    output: parts.join('\n\n---\n\n') || 'no audit records',
  };
}
