/** Argument parsing for the CLI: node's parseArgs with our options, and usage errors as values. */
import { parseArgs } from 'node:util';

export interface CliArgs {
  readonly positionals: readonly string[];
  readonly json: boolean;
  readonly as?: string;
  readonly lang?: string;
  readonly scenario?: string;
  readonly data?: string;
  readonly thread: string;
  readonly incident?: string;
  readonly format?: string;
  readonly state?: string;
  readonly out?: string;
  /** `teams manifest`: the bot's app id, display name, valid domains and package version. */
  readonly appId?: string;
  readonly name?: string;
  readonly domains: readonly string[];
  readonly version?: string;
  /** `audit verify`: anchors typed on the command line (`<seq>:<hash>`) and an anchor file. */
  readonly anchor: readonly string[];
  readonly anchors?: string;
  readonly help: boolean;
  /** `alert`: print the parsed alert instead of running the flow. */
  readonly parseOnly: boolean;
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      as: { type: 'string' },
      lang: { type: 'string' },
      scenario: { type: 'string' },
      data: { type: 'string' },
      thread: { type: 'string', default: 'main' },
      incident: { type: 'string' },
      format: { type: 'string' },
      state: { type: 'string' },
      out: { type: 'string' },
      'app-id': { type: 'string' },
      name: { type: 'string' },
      domain: { type: 'string', multiple: true },
      version: { type: 'string' },
      anchor: { type: 'string', multiple: true },
      anchors: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      'parse-only': { type: 'boolean', default: false },
    },
  });
  return {
    positionals,
    json: values.json ?? false,
    thread: values.thread ?? 'main',
    help: values.help ?? false,
    parseOnly: values['parse-only'] ?? false,
    domains: values.domain ?? [],
    anchor: values.anchor ?? [],
    ...(values.anchors ? { anchors: values.anchors } : {}),
    ...(values['app-id'] ? { appId: values['app-id'] } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(values.version ? { version: values.version } : {}),
    ...(values.as ? { as: values.as } : {}),
    ...(values.lang ? { lang: values.lang } : {}),
    ...(values.scenario ? { scenario: values.scenario } : {}),
    ...(values.data ? { data: values.data } : {}),
    ...(values.incident ? { incident: values.incident } : {}),
    ...(values.format ? { format: values.format } : {}),
    ...(values.state ? { state: values.state } : {}),
    ...(values.out ? { out: values.out } : {}),
  };
}

export const USAGE = `healthbot: ChatOps for Exchange Managed Availability (rehearsal CLI)

Chat as a lab persona (state is kept in --data, default ./data):
  healthbot ask "<question>" [--scenario S] [--as alice] [--lang de] [--json] [--thread T]
  healthbot click <actionId> [--as alice] [--json]
  healthbot approve <approvalId> [--as bob] [--json]
  healthbot reject <approvalId> [--as bob] [--json]
  healthbot approvals [--state pending] [--json]
  healthbot tick                               fire due timers (expiry, wait steps)
  healthbot alert <file|-> [--parse-only] [--json] [--scenario S]
                                               an alert (Alertmanager v4, our JSON, SCOM, event
                                               XML or e-mail text) through the whole flow on the
                                               lab; --parse-only prints the parsed alert as JSON

Look and check:
  healthbot parse "<text>" [--lang de] [--json]
  healthbot audit verify [--anchor SEQ:HASH]... [--anchors FILE]
                                               check every record's MAC, the chain, and that
                                               nothing after an anchor is missing (anchors are
                                               read from the anchor file too)
  healthbot audit export [--incident ID] [--format md|json]
  healthbot runbooks lint [DIR]
  healthbot runbooks coverage [--version 2013|2016|2019|SE] [--json]
  healthbot lab list [--json]
  healthbot lab reset [SCENARIO] [--json]     the lab back at a scenario's start (default: the
                                               configured one, else the one it is in); works
                                               while the bot runs
  healthbot doctor
  healthbot teams manifest --app-id ID --domain HOST [--name Healthbot] [--version 1.0.0] [--out FILE]
                                               the Teams app package to upload (zip)

Options: --data DIR (or HEALTHBOT_DATA_DIR), --json for machine-readable output.
Exit codes: 0 done, 1 refused or invalid, 2 usage error.`;
