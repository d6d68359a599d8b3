/**
 * `healthbot doctor` for the PowerShell gateway: what the bot needs on its host and from
 * Exchange, checked one by one, each failure with the fix. It uses the same fixed scripts and
 * shells as the gateway, so what doctor sees is what the bot will meet.
 */
import { GatewayError } from '../../core/index.ts';
import { callScript } from './call.ts';
import type { PowerShellGatewayOptions } from './index.ts';
import { openSession } from './session.ts';
import { parseServers } from './parse.ts';
import { EXCHANGE_CMDLETS, EXCHANGE_NEEDS, REMOTE_OS_OPERATIONS } from './scripts.ts';
import { checkExecutable, NOT_INSTALLED, PwshShell } from './shell.ts';
import { asArray, field, flag, text } from './values.ts';

export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix?: string;
}

type Options = Pick<
  PowerShellGatewayOptions,
  | 'executable'
  | 'endpoints'
  | 'authentication'
  | 'credential'
  | 'env'
  | 'connectTimeoutMs'
  | 'operationTimeoutMs'
  | 'standInModule'
  | 'remotingAuthentication'
  | 'sessionIdleTimeoutMs'
>;

const SESSION_FIX: Record<string, string> = {
  'permission-denied':
    'The account must be enabled for remote PowerShell (Set-User <account> -RemotePowerShellEnabled $true) and be in a role group; with Kerberos, check the ticket (klist; kinit user@REALM on Linux); with Basic, the PowerShell virtual directory must allow it (Set-PowerShellVirtualDirectory -BasicAuthentication $true).',
  unavailable:
    'Check name resolution and the port (80 for http://, 443 for https://) from this host to the server, and that IIS serves /PowerShell/ there. From Linux, WSMan remoting needs the PSWSMan module.',
  timeout:
    'The session import took longer than the connect timeout: check the network path and the server load, or raise HEALTHBOT_PWSH_CONNECT_TIMEOUT_MS.',
};

function neededBy(cmdlet: string): string {
  return Object.entries(EXCHANGE_NEEDS)
    .filter(([, needs]) => needs!.some((n) => n.cmdlet === cmdlet))
    .map(([op]) => op)
    .join(', ');
}

export async function powerShellDoctor(options: Options): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const spec = { executable: options.executable, ...(options.env ? { env: options.env } : {}) };
  try {
    await checkExecutable(spec);
  } catch (err) {
    const missing = err instanceof GatewayError && err.code === 'not-installed';
    checks.push({
      name: 'PowerShell 7 (pwsh)',
      ok: false,
      detail: missing ? `${NOT_INSTALLED} (looked for "${options.executable}")` : String((err as Error).message),
      fix: "Install PowerShell 7 on this host (Windows: the MSI; Debian/Ubuntu: the powershell package from Microsoft's repository), or set HEALTHBOT_PWSH to the full path of pwsh.",
    });
    return checks;
  }

  const connectMs = options.connectTimeoutMs ?? 90_000;
  const shells: PwshShell[] = [];
  const shell = () => {
    const s = new PwshShell(spec);
    shells.push(s);
    return s;
  };
  try {
    const first = shell();
    const version = await callScript(first, 'version', {}, AbortSignal.timeout(Math.min(connectMs, 30_000))).catch(
      (err: unknown) => err as Error,
    );
    if (version instanceof Error) {
      checks.push({
        name: 'PowerShell 7 (pwsh)',
        ok: false,
        detail: `pwsh started but did not run a script: ${version.message}`,
        fix: 'Run pwsh by hand on this host and check that it starts without prompts.',
      });
      return checks;
    }
    const row = (asArray(version.data)[0] ?? {}) as Record<string, unknown>;
    const ps = text(field(row, 'PSVersion')) ?? '?';
    const major = Number(ps.split('.')[0]);
    checks.push(
      major >= 7
        ? { name: 'PowerShell 7 (pwsh)', ok: true, detail: `pwsh ${ps} (${text(field(row, 'OS')) ?? 'unknown OS'})` }
        : {
            name: 'PowerShell 7 (pwsh)',
            ok: false,
            detail: `found PowerShell ${ps}, need 7 or later`,
            fix: 'Install PowerShell 7 and set HEALTHBOT_PWSH to it.',
          },
    );
    if (text(field(row, 'WSMan')) === 'missing') {
      checks.push({
        name: 'WSMan remoting',
        ok: false,
        detail: 'pwsh on this OS has no WSMan client, so it cannot open Exchange remote sessions',
        fix: 'As root: pwsh -Command "Install-Module PSWSMan -Scope AllUsers; Install-WSMan", then install krb5 (Kerberos) or gss-ntlmssp.',
      });
    }

    // The remote session to each configured endpoint, each in its own shell.
    let connected: PwshShell | undefined;
    for (const endpoint of options.endpoints) {
      const s = connected ? shell() : first;
      try {
        await openSession(s, options, endpoint, AbortSignal.timeout(connectMs));
        checks.push({
          name: `Exchange session ${endpoint.server}`,
          ok: true,
          detail: `${options.authentication} session to ${endpoint.uri} imported`,
        });
        connected ??= s;
      } catch (err) {
        const e = err instanceof GatewayError ? err : new GatewayError('failed', String(err));
        checks.push({
          name: `Exchange session ${endpoint.server}`,
          ok: false,
          detail: `${endpoint.uri}: ${e.message}`,
          fix: SESSION_FIX[e.code] ?? 'See the error above.',
        });
      }
    }
    if (!connected) return checks;

    const opMs = options.operationTimeoutMs;
    const granted = await callScript(
      connected,
      'permissions',
      { commands: EXCHANGE_CMDLETS },
      AbortSignal.timeout(opMs),
    );
    const have = new Map(
      asArray(granted.data).map((r) => [
        String(field(r as Record<string, unknown>, 'Name')).toLowerCase(),
        new Set(asArray(field(r as Record<string, unknown>, 'Parameters')).map((p) => String(p).toLowerCase())),
      ]),
    );
    const missing: DoctorCheck[] = [];
    for (const cmdlet of EXCHANGE_CMDLETS) {
      const params = have.get(cmdlet.toLowerCase());
      if (!params) {
        missing.push({
          name: `Exchange permission ${cmdlet}`,
          ok: false,
          detail: `not granted to the bot's account (needed by ${neededBy(cmdlet)})`,
          fix: `Add it to the bot's custom management role: Add-ManagementRoleEntry "<role>\\${cmdlet}" (see README, "Running against real Exchange").`,
        });
        continue;
      }
      const wanted = Object.values(EXCHANGE_NEEDS).flatMap((needs) =>
        needs!.filter((n) => n.cmdlet === cmdlet).flatMap((n) => n.parameters ?? []),
      );
      for (const p of new Set(wanted)) {
        if (!params.has(p.toLowerCase()))
          missing.push({
            name: `Exchange permission ${cmdlet} -${p}`,
            ok: false,
            detail: `the role entry for ${cmdlet} leaves out -${p} (needed by ${neededBy(cmdlet)})`,
            fix: `Set-ManagementRoleEntry "<role>\\${cmdlet}" -Parameters ${p} -AddParameter`,
          });
      }
    }
    checks.push(
      ...(missing.length > 0
        ? missing
        : [
            {
              name: 'Exchange permissions',
              ok: true,
              detail: `all ${EXCHANGE_CMDLETS.length} cmdlets the operations use are granted, with their parameters`,
            },
          ]),
    );

    const inventory = await callScript(connected, 'inventory', {}, AbortSignal.timeout(opMs)).catch(
      (err: unknown) => err as Error,
    );
    if (inventory instanceof Error) {
      checks.push({
        name: 'Server inventory',
        ok: false,
        detail: inventory.message,
        fix: 'Get-ExchangeServer must work for the account (View-Only Configuration or a custom role with it).',
      });
      return checks;
    }
    const servers = parseServers(inventory.data);
    checks.push({
      name: 'Server inventory',
      ok: servers.length > 0,
      detail: `${servers.length} server(s): ${servers.map((s) => `${s.name} (${s.roles.join('+')})`).join(', ')}`,
    });

    // Services, app pools, IISReset and restarts go to each server's OS over WinRM, outside RBAC.
    for (const server of servers) {
      const name = `Windows remoting ${server.name}`;
      const why = `needed for ${REMOTE_OS_OPERATIONS.join(', ')}`;
      try {
        const r = await callScript(
          connected,
          'remote-check',
          { server: server.name, fqdn: server.fqdn },
          AbortSignal.timeout(opMs),
          server.name,
        );
        const admin = flag(field((asArray(r.data)[0] ?? {}) as Record<string, unknown>, 'Admin'));
        checks.push(
          admin
            ? { name, ok: true, detail: `WinRM to ${server.fqdn} works as a local administrator` }
            : {
                name,
                ok: false,
                detail: `WinRM to ${server.fqdn} works, but not as a local administrator (${why})`,
                fix: `Add the bot's account to the local Administrators of ${server.name}, or give it a JEA endpoint with Get-/Restart-Service, the WebAdministration cmdlets, iisreset and shutdown.`,
              },
        );
      } catch (err) {
        const e = err instanceof GatewayError ? err : new GatewayError('failed', String(err));
        checks.push({
          name,
          ok: false,
          detail: `${e.message} (${why})`,
          fix:
            e.code === 'permission-denied'
              ? `Add the bot's account to the local Administrators of ${server.name} (read-only use works without it).`
              : `Allow WinRM (TCP 5985, or 5986 with Basic over HTTPS) from this host to ${server.fqdn}.`,
        });
      }
    }
    return checks;
  } finally {
    for (const s of shells) await callScript(s, 'disconnect', {}, AbortSignal.timeout(3000)).catch(() => undefined);
    await Promise.all(shells.map((s) => s.dispose()));
  }
}

export function formatDoctor(checks: readonly DoctorCheck[]): string {
  return checks
    .map((c) =>
      c.ok ? `ok   ${c.name}: ${c.detail}` : `FAIL ${c.name}: ${c.detail}${c.fix ? `\n     fix: ${c.fix}` : ''}`,
    )
    .join('\n');
}
