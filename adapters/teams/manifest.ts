/**
 * The Teams app package: `manifest.json` (schema 1.17) with the bot in personal, team and group
 * chat scopes, its commands, the valid domains, and the two icons, zipped at the root as Teams
 * expects for "Upload a custom app" or the admin center. `healthbot teams manifest` calls
 * `writeTeamsPackage`.
 *
 * Inputs are checked against the manifest schema's own limits, so a mistake shows here with a
 * sentence instead of as "invalid package" in the Teams admin center.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { colorIcon, outlineIcon } from './png.ts';
import { zip } from './zip.ts';

export interface TeamsPackageOptions {
  /** The Entra app id of the bot (MICROSOFT_APP_ID); also the Teams app id. */
  readonly appId: string;
  /** The name people see in Teams (at most 30 characters). */
  readonly botName: string;
  /** Host names the app may open or that serve the bot (no scheme), e.g. `healthbot.contoso.com`. */
  readonly validDomains: readonly string[];
  readonly outFile: string;
  /** Semantic version of the package; raise it for every upload that changes the manifest. */
  readonly version?: string;
  /** Who publishes the app; https links are required by Teams. Defaults point at the first valid domain. */
  readonly developer?: {
    readonly name: string;
    readonly websiteUrl: string;
    readonly privacyUrl: string;
    readonly termsOfUseUrl: string;
  };
  /** `#rrggbb` behind the colour icon. */
  readonly accentColor?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/i;
const SCOPES = ['personal', 'team', 'groupChat'] as const;

const COMMANDS = [
  { title: 'help', description: 'What I can check and how to ask' },
  { title: 'status', description: 'The current state of the incident in this thread' },
  { title: 'rerun', description: 'Run the probes of this incident again' },
  { title: 'cancel', description: 'Withdraw your pending approval requests here' },
  { title: 'alerts here', description: 'Post alerts to this channel from now on' },
] as const;

function problemsOf(options: TeamsPackageOptions): string[] {
  const problems: string[] = [];
  if (!GUID.test(options.appId)) problems.push("appId must be the bot's Entra application id (a GUID)");
  const name = options.botName.trim();
  if (name.length === 0 || name.length > 30) problems.push('botName must be 1 to 30 characters');
  if (options.validDomains.length > 16) problems.push('at most 16 valid domains');
  for (const d of options.validDomains)
    if (!HOST.test(d)) problems.push(`valid domain "${d}" must be a host name without scheme or path`);
  if (options.version !== undefined && !/^\d+\.\d+\.\d+$/.test(options.version))
    problems.push('version must look like 1.0.0');
  if (options.accentColor !== undefined && !/^#[0-9a-f]{6}$/i.test(options.accentColor))
    problems.push('accentColor must look like #0f5c8c');
  const dev = options.developer;
  if (dev) {
    if (!dev.name.trim() || dev.name.length > 32) problems.push('developer name must be 1 to 32 characters');
    for (const [key, url] of Object.entries({
      websiteUrl: dev.websiteUrl,
      privacyUrl: dev.privacyUrl,
      termsOfUseUrl: dev.termsOfUseUrl,
    })) {
      if (!/^https:\/\/\S+$/.test(url)) problems.push(`developer ${key} must be an https URL`);
    }
  } else if (options.validDomains.length === 0) {
    problems.push('give developer links, or at least one valid domain to derive them from');
  }
  return problems;
}

export function teamsManifest(options: TeamsPackageOptions): Record<string, unknown> {
  const problems = problemsOf(options);
  if (problems.length > 0) throw new Error(`Teams app package: ${problems.join('; ')}`);
  const name = options.botName.trim();
  const site = `https://${options.validDomains[0]?.replace(/^\*\./, '')}`;
  const developer = options.developer ?? {
    name: name.slice(0, 32),
    websiteUrl: `${site}/`,
    privacyUrl: `${site}/privacy`,
    termsOfUseUrl: `${site}/terms`,
  };
  return {
    $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17',
    version: options.version ?? '1.0.0',
    id: options.appId.toLowerCase(),
    developer,
    name: { short: name, full: `${name}: Exchange health checks and approved recovery`.slice(0, 100) },
    description: {
      short: 'Verified Exchange health-set diagnoses and two-person recovery steps',
      full: [
        'Ask in a channel, e.g. "@' + name + ' what\'s wrong with IMAP on server1?".',
        "The bot checks Get-ServerHealth, reruns the failing monitors' probes, explains what it found and offers the recovery steps of the health set's runbook.",
        'Read-only steps run on a click; steps that change a server need the approval of a second authorised person. Everything is written to a verifiable audit trail.',
      ].join(' '),
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: options.accentColor ?? '#0F5C8C',
    bots: [
      {
        botId: options.appId.toLowerCase(),
        scopes: [...SCOPES],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: [...SCOPES], commands: COMMANDS.map((c) => ({ ...c })) }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [...options.validDomains],
  };
}

export function buildTeamsPackage(options: TeamsPackageOptions): { manifest: Record<string, unknown>; zip: Buffer } {
  const manifest = teamsManifest(options);
  const files = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: 'color.png', data: colorIcon(String(manifest.accentColor)) },
    { name: 'outline.png', data: outlineIcon() },
  ];
  return { manifest, zip: zip(files) };
}

/** Writes the app package (a .zip) and returns the manifest it contains. */
export async function writeTeamsPackage(
  options: TeamsPackageOptions,
): Promise<{ outFile: string; manifest: Record<string, unknown> }> {
  const built = buildTeamsPackage(options);
  await mkdir(dirname(options.outFile), { recursive: true });
  await writeFile(options.outFile, built.zip);
  return { outFile: options.outFile, manifest: built.manifest };
}
