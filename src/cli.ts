/**
 * The command-line front: a rehearsal channel for runbook authors, demos and tests, driving the
 * same engine and wiring as the bot. Returns the exit code; prints to stdout/stderr.
 */
import { ConfigError, HealthbotError } from './core/index.ts';
import { USAGE, parseCliArgs } from './cli/args.ts';
import type { CliArgs } from './cli/args.ts';
import type { CommandResult } from './cli/chat-commands.ts';

// Each command loads only what it uses: twenty `approve` processes started at once should not
// each parse the PowerShell gateway or the Teams package writer first.
const chat = () => import('./cli/chat-commands.ts');
const admin = () => import('./cli/admin-commands.ts');

const usage = (message: string): CommandResult => ({ exitCode: 2, output: `${message}\n\n${USAGE}` });

async function dispatch(args: CliArgs): Promise<CommandResult> {
  const [command, first, second] = args.positionals;
  switch (command) {
    case 'ask':
      return first ? (await chat()).ask(args, first) : usage('ask needs a question in quotes');
    case 'alert':
      return first
        ? (await import('./cli/alert-command.ts')).alert(args, first)
        : usage('alert needs a file, or - for standard input');
    case 'parse':
      return first ? (await admin()).parse(args, first) : usage('parse needs a text in quotes');
    case 'click':
      return first ? (await chat()).click(args, first) : usage('click needs an action id (from ask --json)');
    case 'approve':
    case 'reject':
      return first ? (await chat()).decide(args, first, command) : usage(`${command} needs an approval id`);
    case 'approvals':
      return (await chat()).approvals(args);
    case 'tick':
      return (await chat()).tick(args);
    case 'audit':
      return (await import('./cli/audit-command.ts')).audit(args, first);
    case 'runbooks':
      if (first === 'coverage') return (await import('./cli/coverage-command.ts')).runbooksCoverage(args);
      return first === 'lint'
        ? (await admin()).runbooksLint(args, second)
        : usage('usage: healthbot runbooks lint [DIR] | runbooks coverage [--version 2013|2016|2019|SE] [--json]');
    case 'lab':
      if (first === 'reset') return (await import('./cli/lab-command.ts')).labReset(args, second);
      return first === 'list'
        ? (await admin()).labList(args)
        : usage('usage: healthbot lab list [--json] | lab reset [SCENARIO] [--json]');
    case 'doctor':
      return (await admin()).doctor(args);
    case 'teams':
      return first === 'manifest'
        ? (await import('./cli/teams-manifest.ts')).teamsManifest(args)
        : usage('usage: healthbot teams manifest --app-id ID --domain HOST [--name N] [--out FILE]');
    case undefined:
    case 'help':
      return { exitCode: command ? 0 : 2, output: USAGE };
    default:
      return usage(`unknown command: ${command}`);
  }
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let result: CommandResult;
  try {
    const args = parseCliArgs(argv);
    result = args.help ? { exitCode: 0, output: USAGE } : await dispatch(args);
  } catch (err) {
    if (err instanceof ConfigError) result = { exitCode: 1, output: err.message };
    else if (err instanceof HealthbotError) result = { exitCode: 1, output: `${err.code}: ${err.message}` };
    else if (
      err instanceof TypeError &&
      'code' in err &&
      String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')
    )
      result = usage(err.message);
    else throw err;
  }
  if (result.output) (result.exitCode === 0 ? io.out : io.err)(`${result.output}\n`);
  return result.exitCode;
}
