/** `healthbot teams manifest`: writes the Teams app package an administrator uploads. */
import { resolve } from 'node:path';
// The package writer alone: the adapter (and botbuilder with it) stays out of every CLI start.
import { writeTeamsPackage } from '../../adapters/teams/manifest.ts';
import type { CliArgs } from './args.ts';
import type { CommandResult } from './chat-commands.ts';

export async function teamsManifest(args: CliArgs): Promise<CommandResult> {
  const appId = args.appId ?? process.env.MICROSOFT_APP_ID?.trim();
  const problems: string[] = [];
  if (!appId) problems.push("--app-id (or MICROSOFT_APP_ID): the Azure Bot registration's app id");
  if (args.domains.length === 0)
    problems.push('--domain: the host name the bot is reached at, e.g. healthbot.contoso.com');
  if (problems.length > 0)
    return { exitCode: 2, output: `teams manifest needs:\n${problems.map((p) => `  - ${p}`).join('\n')}` };
  try {
    const { outFile, manifest } = await writeTeamsPackage({
      appId: appId!,
      botName: args.name ?? 'Healthbot',
      validDomains: args.domains,
      outFile: resolve(args.out ?? 'healthbot-teams.zip'),
      ...(args.version ? { version: args.version } : {}),
    });
    if (args.json) return { exitCode: 0, output: JSON.stringify({ outFile, manifest }, null, 2) };
    return {
      exitCode: 0,
      output: `wrote ${outFile}\nupload it in Teams: Apps → Manage your apps → Upload an app (or the Teams admin center)`,
    };
  } catch (err) {
    return { exitCode: 1, output: `teams manifest: ${err instanceof Error ? err.message : String(err)}` };
  }
}
