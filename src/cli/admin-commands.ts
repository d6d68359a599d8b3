/** The CLI commands that look and check: parse, runbooks lint, lab list, doctor (audit: audit-command.ts). */
import { relative } from 'node:path';
import { createCatalogue } from '../core/engine/index.ts';
import { ConfigError } from '../core/index.ts';
import { loadConfig } from '../config.ts';
import { createParserFrom, createTranslator } from '../i18n/index.ts';
import { createLabGateway, listScenarios } from '../exchange/lab/index.ts';
import { formatDoctor, powerShellDoctor } from '../exchange/powershell/doctor.ts';
import { loadRunbooks, lintRunbooks } from '../runbooks/index.ts';
import { systemClock } from '../core/index.ts';
import type { CliArgs } from './args.ts';
import { expiryOf, policyFileOf } from '../wiring/services.ts';
import type { Config } from '../config.ts';
import { loadPolicyFile } from '../policy/load.ts';
import { readAnchors, readAuditKey } from '../store/index.ts';
import { statSync } from 'node:fs';
import type { CommandResult } from './chat-commands.ts';
import { LOCALES_DIR, PROJECT_ROOT, RUNBOOKS_DIR, SCENARIOS_DIR } from '../wiring/paths.ts';

export async function parse(args: CliArgs, text: string): Promise<CommandResult> {
  const { runbooks, known } = await loadRunbooks(RUNBOOKS_DIR, { localesDir: LOCALES_DIR });
  const catalogue = createCatalogue(runbooks, known);
  // The inventory comes from the lab; the parser never sees a server it cannot resolve.
  const lab = await createLabGateway({ runbooks, scenariosDir: SCENARIOS_DIR, clock: systemClock, latency: 'none' });
  const servers = await lab.listServers();
  await lab.close();
  const translator = createTranslator(LOCALES_DIR);
  const parsed = createParserFrom(LOCALES_DIR).parse(
    text,
    { healthSets: catalogue.healthSets, servers },
    { localeHint: translator.resolve(args.lang) },
  );
  const out = { intent: parsed.intent, locale: parsed.locale, problems: parsed.problems };
  if (args.json) return { exitCode: 0, output: JSON.stringify(out) };
  const i = parsed.intent;
  const lines = [`intent: ${i.kind}`, `locale: ${parsed.locale}`];
  if ('healthSet' in i && i.healthSet) lines.push(`health set: ${i.healthSet}`);
  if ('server' in i && i.server) lines.push(`server: ${i.server}`);
  for (const p of parsed.problems)
    lines.push(
      `problem: ${p.kind} "${p.text}"${p.suggestions.length ? ` (did you mean ${p.suggestions.join(', ')}?)` : ''}`,
    );
  return { exitCode: 0, output: lines.join('\n') };
}

export async function runbooksLint(args: CliArgs, dir: string | undefined): Promise<CommandResult> {
  const problems = await lintRunbooks(dir ?? RUNBOOKS_DIR, { localesDir: LOCALES_DIR });
  if (args.json) return { exitCode: problems.length > 0 ? 1 : 0, output: JSON.stringify(problems, null, 2) };
  if (problems.length === 0) return { exitCode: 0, output: 'runbooks: no problems found' };
  const lines = problems.map(
    (p) => `${relative(process.cwd(), p.file) || p.file}${p.line ? `:${p.line}` : ''}: ${p.path}: ${p.message}`,
  );
  return { exitCode: 1, output: `${lines.join('\n')}\n${problems.length} problem(s)` };
}

export async function labList(args: CliArgs): Promise<CommandResult> {
  const scenarios = await listScenarios(SCENARIOS_DIR);
  if (args.json) return { exitCode: 0, output: JSON.stringify(scenarios, null, 2) };
  return { exitCode: 0, output: scenarios.map((s) => `${s.id.padEnd(20)} ${s.title}`).join('\n') };
}

export async function doctor(args: CliArgs): Promise<CommandResult> {
  let config;
  try {
    config = loadConfig(process.env, args.data ? { dataDir: args.data } : {});
  } catch (err) {
    if (err instanceof ConfigError) return { exitCode: 1, output: err.message };
    throw err;
  }
  let approvals: string[];
  try {
    approvals = [...(await approvalSettings(config)), ...(await auditSettings(config))];
  } catch (err) {
    if (err instanceof ConfigError) return { exitCode: 1, output: err.message };
    throw err;
  }
  const ex = config.exchange;
  if (ex.kind === 'lab') {
    return {
      exitCode: 0,
      output: [
        `Exchange: the lab (simulated organisation; set HEALTHBOT_EXCHANGE=powershell for real Exchange)`,
        `project: ${PROJECT_ROOT}`,
        ...approvals,
      ].join('\n'),
    };
  }
  // pwsh, the session to each endpoint, the RBAC grants and WinRM to each server, each with its fix.
  const { kind: _powershell, ...connection } = ex;
  const checks = await powerShellDoctor(connection);
  const exitCode = checks.every((c) => c.ok) ? 0 : 1;
  if (args.json) return { exitCode, output: JSON.stringify({ checks, approvals }, null, 2) };
  return { exitCode, output: [formatDoctor(checks), ...approvals].join('\n') };
}

/** Where the audit key and the anchors are, without ever printing the key or making one. */
async function auditSettings(config: Config): Promise<string[]> {
  const key = await readAuditKey(config.audit);
  const lines: string[] = [];
  if (!key) lines.push(`audit: no key yet; the bot generates ${config.audit.keyFile} (mode 0600) on first start`);
  else if (config.audit.key) lines.push(`audit: key from HEALTHBOT_AUDIT_KEY (id ${key.id})`);
  else {
    lines.push(`audit: key file ${config.audit.keyFile} (id ${key.id})`);
    if (statSync(config.audit.keyFile).mode & 0o077)
      lines.push(`warning: the audit key file ${config.audit.keyFile} can be read by other users; make it 0600`);
  }
  const { anchors } = await readAnchors(config.audit.anchorFile);
  const last = anchors.at(-1);
  lines.push(
    last
      ? `audit anchors: ${config.audit.anchorFile} (${anchors.length}, the last names record ${last.seq}${last.at ? ` at ${last.at}` : ''})`
      : `audit anchors: none yet in ${config.audit.anchorFile}`,
  );
  return lines;
}

/** Where the approval expiry comes from, and a warning when the environment and the policy file disagree. */
async function approvalSettings(config: Config): Promise<string[]> {
  const file = policyFileOf(config);
  const loaded = file ? await loadPolicyFile(file, { expiryMinutes: config.approvalExpiryMinutes }) : undefined;
  const expiry = expiryOf(config, file, loaded);
  const from = {
    'policy-file': `the policy file ${file ?? ''}`,
    environment: 'HEALTHBOT_APPROVAL_EXPIRY_MINUTES',
    default: 'the default',
  }[expiry.source];
  return [
    `approvals: requests expire after ${expiry.minutes} minutes (from ${from})`,
    ...(expiry.conflict ? [`warning: ${expiry.conflict}`] : []),
  ];
}
