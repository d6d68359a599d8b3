/**
 * Hostile values through every fixed script in a real PowerShell 7. The gateway refuses such
 * values before any shell sees them (test/exchange/powershell/injection.test.ts); here that
 * refusal is bypassed on purpose: the scripts run on a shell with the values as given, and the
 * stand-in cmdlets record what they received. Each value must arrive byte for byte, as data,
 * and the canary (what any payload below would call if it ever ran as code) must never run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation, OperationKind, ServerInfo } from '../../../src/core/index.ts';
import {
  ACTIVATION_POLICIES,
  COMPONENT_REQUESTERS,
  GATEWAY_OPERATION_KINDS,
  GatewayError,
  OVERRIDE_ITEM_TYPES,
} from '../../../src/core/index.ts';
import { callScript } from '../../../src/exchange/powershell/call.ts';
import { valuesFor } from '../../../src/exchange/powershell/request.ts';
import type { PwshShell } from '../../../src/exchange/powershell/shell.ts';
import { EXCHANGE_MODULE } from '../../fixtures/exchange-module/module.ts';
import type { ModuleCall, StandInExchange } from '../../fixtures/exchange-module/module.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { openModuleShell, openShellOn } from './helpers.ts';

const pwsh = pwshPath();

const PAYLOADS = [
  "'; Invoke-HbCanary; '",
  '"; Invoke-HbCanary; "',
  '$(Invoke-HbCanary)',
  '`$(Invoke-HbCanary)`',
  '\u2018; Invoke-HbCanary; \u2019',
  '\u2019) ; Invoke-HbCanary ; (\u2018',
  '\u201C$(Invoke-HbCanary)\u201D',
  '\u201A;Invoke-HbCanary\u201B',
  '\u201E $(Invoke-HbCanary) \u201E',
  "x' + (Invoke-HbCanary) + 'y",
  '@(Invoke-HbCanary)',
  '@{a=$(Invoke-HbCanary)}',
  '--% ; Invoke-HbCanary',
  'SERVER1\nInvoke-HbCanary',
  'SERVER1\r\nStop-Computer -Force',
  '${function:Invoke-HbCanary}',
  '<# #> ; Restart-Computer -Force',
  'a | Invoke-HbCanary',
  '-Force',
  '2026-11-24T13:48:00Z',
  '  padded  ',
];
const DANGEROUS = [
  "'",
  '"',
  '`',
  '$',
  '(',
  ')',
  ';',
  '\n',
  '\r',
  '{',
  '}',
  '|',
  '&',
  '#',
  '<',
  '>',
  '@',
  ',',
  '%',
  '-',
  '\u2018',
  '\u2019',
  '\u201A',
  '\u201B',
  '\u201C',
  '\u201D',
  '\u201E',
  '\u2028',
  'é',
  '中',
  '😀',
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc.string({ unit: fc.constantFrom(...DANGEROUS, 'a', 'Z', '0', ' ', '\\', '.'), minLength: 1, maxLength: 40 }),
  // Any Unicode text without NUL (a NUL cannot reach a cmdlet through any transport).
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\u0000')),
  fc
    .tuple(fc.integer({ min: 2000, max: 20_000 }), fc.constantFrom(...PAYLOADS))
    .map(([n, p]) => `${'A'.repeat(n)}${p}`),
);

/** Which cmdlet must have received which value, for the values `valuesFor` built. */
function expectations(
  kind: OperationKind,
  v: Record<string, unknown>,
): [cmdlet: string, parameter: string, value: unknown][] {
  const s = v.server as string;
  switch (kind) {
    case 'get-server-health':
      return [['Get-ServerHealth', 'Identity', s]];
    case 'invoke-probe':
      return [
        ['Invoke-MonitoringProbe', 'Identity', `${v.healthSet as string}\\${v.probe as string}`],
        ['Invoke-MonitoringProbe', 'Server', s],
      ];
    case 'get-database-copy-status':
      return [['Get-MailboxDatabaseCopyStatus', 'Server', s]];
    case 'set-database-activation':
      // move-now reads the policy it replaces first; the put-back's policy reaches Set-MailboxServer only
      // when its ValidateSet accepts it (a hostile one is refused before anything runs).
      if (v.mode === 'move-now')
        return [
          ['Get-MailboxServer', 'Identity', s],
          ['Set-MailboxServer', 'Identity', s],
          ['Set-MailboxServer', 'DatabaseCopyAutoActivationPolicy', 'Blocked'],
        ];
      if (v.restorePolicy !== undefined && !(ACTIVATION_POLICIES as readonly unknown[]).includes(v.restorePolicy))
        return [];
      return [
        ['Set-MailboxServer', 'Identity', s],
        ...(v.restorePolicy
          ? [['Set-MailboxServer', 'DatabaseCopyAutoActivationPolicy', v.restorePolicy] as [string, string, unknown]]
          : []),
      ];
    case 'get-protocol-logging':
    case 'set-protocol-logging':
      return [
        [
          v.protocol === 'imap'
            ? `${kind.startsWith('get') ? 'Get' : 'Set'}-ImapSettings`
            : `${kind.startsWith('get') ? 'Get' : 'Set'}-PopSettings`,
          'Server',
          s,
        ],
      ];
    case 'get-service':
      return [
        ['Invoke-Command', 'ComputerName', [v.fqdn]],
        ['Invoke-Command', 'ArgumentList', [v.service]],
        ['Get-Service', 'Name', [v.service]],
      ];
    case 'restart-service':
      return [
        ['Invoke-Command', 'ComputerName', [v.fqdn]],
        ['Invoke-Command', 'ArgumentList', [v.service, v.stopWaitSeconds]],
        ['Get-Service', 'Name', [v.service]],
      ];
    case 'get-app-pool':
    case 'recycle-app-pool':
      // appcmd.exe gets the name inside one argument, as its own syntax wants: /apppool.name:<name>.
      return [
        ['Invoke-Command', 'ComputerName', [v.fqdn]],
        ['Invoke-Command', 'ArgumentList', [v.appPool]],
        ['appcmd.exe', 'Arguments', ['list', 'apppool', `/apppool.name:${v.appPool as string}`, '/text:state']],
      ];
    case 'get-restart-readiness':
      return [
        ['Get-MailboxServer', 'Identity', s],
        ['Get-MailboxDatabaseCopyStatus', 'Server', s],
      ];
    case 'get-server-state':
      return [
        ['Invoke-Command', 'ComputerName', [v.fqdn]],
        ['Get-ServerComponentState', 'Identity', s],
        ['Test-ServiceHealth', 'Server', s],
        ['Get-MailboxServer', 'Identity', s],
      ];
    case 'get-monitoring-mailboxes':
      // The server's name reaches Get-Mailbox only inside the DisplayName filter, never as a parameter.
      return [['Get-Mailbox', 'Monitoring', true]];
    case 'get-directory-servers':
      return [
        ['Get-ExchangeServer', 'Identity', s],
        ['Get-ExchangeServer', 'Status', true],
      ];
    case 'get-queue':
      return [['Get-Queue', 'Server', s]];
    case 'test-service-health':
      return [['Test-ServiceHealth', 'Server', s]];
    case 'test-replication-health':
      return [['Test-ReplicationHealth', 'Identity', s]];
    case 'get-dag-status':
      return [['Get-MailboxServer', 'Identity', s]];
    case 'get-website':
      return [
        ['Invoke-Command', 'ComputerName', [v.fqdn]],
        ['appcmd.exe', 'Arguments', ['list', 'site', '/xml']],
      ];
    case 'redirect-messages':
      return [
        ['Redirect-Message', 'Server', s],
        ['Redirect-Message', 'Target', [v.target]],
      ];
    case 'rebalance-databases':
      return [['Move-ActiveMailboxDatabase', 'ActivatePreferredOnServer', s]];
    case 'get-monitoring-items': {
      // The sets asked for go to Get-MonitoringItemIdentity one by one; without any, Get-HealthReport names them.
      const sets = (v.healthSets as string[]).filter((h) => h !== '');
      if (sets.length === 0)
        return [
          ['Get-HealthReport', 'Identity', s],
          ['Get-MonitoringItemIdentity', 'Server', s],
        ];
      return [
        ['Get-MonitoringItemIdentity', 'Identity', sets[0]],
        ['Get-MonitoringItemIdentity', 'Server', s],
      ];
    }
    case 'set-server-component-state':
      // State and Requester are closed sets: PowerShell's parameter binding refuses any other value, and nothing is called.
      if (
        !COMPONENT_STATES.includes(v.state as string) ||
        !(COMPONENT_REQUESTERS as readonly string[]).includes(v.requester as string)
      )
        return [];
      return [
        ['Set-ServerComponentState', 'Identity', s],
        ['Set-ServerComponentState', 'Component', v.component],
        ['Set-ServerComponentState', 'State', v.state],
        ['Set-ServerComponentState', 'Requester', v.requester],
      ];
    case 'get-monitoring-item-identity':
      return [
        ['Get-MonitoringItemIdentity', 'Identity', v.healthSet],
        ['Get-MonitoringItemIdentity', 'Server', s],
      ];
    case 'get-cluster-node':
      return [['Get-MailboxServer', 'Identity', s]];
    case 'set-cluster-node':
      return [
        ['Invoke-Command', 'ComputerName', [v.fqdn]],
        ['Invoke-Command', 'ArgumentList', [v.action]],
      ];
    case 'get-monitoring-overrides':
      return [['Get-ServerMonitoringOverride', 'Server', s]];
    case 'add-monitoring-override':
      // ItemType is a closed set and the duration a number: anything else stops before the cmdlet runs.
      if (!(OVERRIDE_ITEM_TYPES as readonly unknown[]).includes(v.itemType) || typeof v.durationMinutes !== 'number')
        return [];
      return [
        ['Add-ServerMonitoringOverride', 'Server', s],
        ['Add-ServerMonitoringOverride', 'Identity', `${v.healthSet as string}\\${v.item as string}`],
        ['Add-ServerMonitoringOverride', 'ItemType', v.itemType],
        ['Add-ServerMonitoringOverride', 'PropertyValue', '0'],
      ];
    default:
      return [['Invoke-Command', 'ComputerName', [v.fqdn]]];
  }
}

const COMPONENT_STATES = ['Active', 'Inactive', 'Draining'];

const REST = {
  target: 'x',
  component: 'x',
  state: 'Active',
  requester: 'Maintenance',
  restorePolicy: 'Unrestricted',
  action: 'resume',
  item: 'x',
  itemType: 'Monitor',
  durationMinutes: 60,
};
const BASE = {
  kind: 'get-server-health',
  server: 'SERVER1',
  healthSet: 'x',
  probe: 'x',
  service: 'x',
  appPool: 'x',
  protocol: 'imap',
  mode: 'allow',
  enabled: true,
  healthSets: [],
  ...REST,
};

describe('hostile values through every fixed script in a real PowerShell 7', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }
  let exchange: StandInExchange;
  let shell: PwshShell;
  beforeAll(async () => {
    ({ exchange, shell } = await openModuleShell(pwsh));
  });
  afterAll(async () => {
    await shell?.dispose();
  });

  it('the canary is live: a value run as code would be seen', async () => {
    // The one way the test itself turns text into code, to show the canary would catch it.
    await shell.run('check', {}, AbortSignal.timeout(20_000));
    const before = exchange.canary().length;
    const { PowerShell } = await import('node-powershell');
    const ps = new PowerShell({ executable: pwsh, spawnOptions: { env: exchange.env } });
    try {
      await ps.invoke(`Import-Module '${EXCHANGE_MODULE}'; $v = '$(Invoke-HbCanary)'; Invoke-Expression $v`);
    } finally {
      await ps.dispose();
    }
    expect(exchange.canary().length).toBe(before + 1);
  });

  it('every value arrives byte for byte as data, and nothing else runs', async () => {
    const operation = fc.record({
      kind: fc.constantFrom(...GATEWAY_OPERATION_KINDS),
      // Half the runs use a real server, so the values behind the server reach the later cmdlets.
      server: fc.oneof(fc.constantFrom('SERVER1', 'MBX1'), hostile),
      healthSet: hostile,
      probe: hostile,
      service: hostile,
      appPool: hostile,
      protocol: fc.oneof(fc.constantFrom('imap', 'pop'), hostile),
      mode: fc.oneof(fc.constantFrom('move-now', 'allow'), hostile),
      restorePolicy: fc.oneof(fc.constantFrom(...ACTIVATION_POLICIES), hostile),
      enabled: fc.boolean(),
      healthSets: fc.array(hostile, { maxLength: 2 }),
      target: hostile,
      component: hostile,
      state: fc.oneof(fc.constantFrom(...COMPONENT_STATES), hostile),
      requester: fc.oneof(fc.constantFrom(...COMPONENT_REQUESTERS), hostile),
      action: fc.oneof(fc.constantFrom('resume', 'suspend'), hostile),
      item: hostile,
      itemType: fc.oneof(fc.constantFrom(...OVERRIDE_ITEM_TYPES), hostile),
      durationMinutes: fc.oneof(fc.integer({ min: 1, max: 10_000 }), hostile),
    });
    let reachedLater = 0;
    let timedOut = 0;
    // The liveness test above called the canary once on purpose.
    const canaryBefore = exchange.canary().length;
    await fc.assert(
      fc.asyncProperty(operation, async (raw) => {
        const op = raw as unknown as Operation;
        const real = ['SERVER1', 'MBX1'].includes(raw.server);
        const server = {
          name: raw.server,
          fqdn: real ? `${raw.server.toLowerCase()}.contoso.com` : raw.server,
          roles: ['Mailbox'],
        } as ServerInfo;
        const values = valuesFor(op, server, 30_000);
        let before = exchange.calls().length;
        // Errors are expected (no such server, service or pool); what matters is what arrived.
        const call = () =>
          callScript(shell, raw.kind, values, AbortSignal.timeout(30_000)).then(
            () => 'answered',
            (err: unknown) => (err instanceof GatewayError && err.code === 'timeout' ? 'timed out' : 'refused'),
          );
        if ((await call()) === 'timed out') {
          // A call that never got its answer used to stop the shell here about once in a few
          // hundred calls (terminal escapes hid node-powershell's end marker; fixed in shell.ts,
          // pinned by shell-output.test.ts). On a machine loaded enough for a call to take 30 s,
          // the shell is stopped as the gateway's pool would, and the value tried once more in a
          // fresh one: a value that hangs PowerShell every time still fails here.
          timedOut++;
          await shell.dispose();
          shell = await openShellOn(pwsh, exchange);
          before = exchange.calls().length;
          expect(await call(), `${raw.kind}: timed out twice`).not.toBe('timed out');
        }
        const calls: ModuleCall[] = exchange.calls().slice(before);
        expect(calls.filter((c) => c.cmdlet === 'CANARY')).toEqual([]);
        const wanted = expectations(op.kind, values);
        if (wanted.length === 0) {
          expect(
            calls.filter((c) => c.cmdlet === 'Set-ServerComponentState'),
            op.kind,
          ).toEqual([]);
          return;
        }
        // With a hostile server only the first cmdlet is reached; it must still get the value exactly.
        for (const [cmdlet, parameter, value] of real ? wanted : wanted.slice(0, 1)) {
          const call = calls.find((c) => c.cmdlet === cmdlet);
          if (!call && real && cmdlet !== wanted[0]![0]) continue;
          expect(call, `${op.kind}: ${cmdlet} was not called`).toBeDefined();
          expect(call!.parameters[parameter], `${op.kind}: ${cmdlet} -${parameter}`).toEqual(value);
          if (cmdlet !== wanted[0]![0]) reachedLater++;
        }
      }),
      {
        numRuns: 60,
        // Always tried: date-shaped text, which ConvertFrom-Json would turn into a DateTime.
        examples: [
          [
            {
              kind: 'invoke-probe',
              server: 'SERVER1',
              healthSet: '2026-11-24T13:48:00Z',
              probe: 'ImapCTPProbe',
              service: 'x',
              appPool: 'x',
              protocol: 'imap',
              mode: 'allow',
              enabled: true,
              healthSets: [],
              ...REST,
            },
          ],
          [
            {
              kind: 'get-service',
              server: 'MBX1',
              healthSet: 'x',
              probe: 'x',
              service: '2026-11-24',
              appPool: 'x',
              protocol: 'imap',
              mode: 'allow',
              enabled: true,
              healthSets: [],
              ...REST,
            },
          ],
          // Values of the issue-12 writes reaching their cmdlets on a real server.
          [
            {
              ...BASE,
              kind: 'set-server-component-state',
              server: 'SERVER1',
              component: "'; Invoke-HbCanary; '",
              state: 'Draining',
              requester: 'Maintenance',
            },
          ],
          [{ ...BASE, kind: 'redirect-messages', server: 'SERVER1', target: '$(Invoke-HbCanary)' }],
          [{ ...BASE, kind: 'rebalance-databases', server: "SERVER1'; Invoke-HbCanary; '" }],
          // Health-set names of the discovery read reaching Get-MonitoringItemIdentity on a real server.
          [
            {
              ...BASE,
              kind: 'get-monitoring-items',
              server: 'SERVER1',
              healthSets: ["OWA'; Invoke-HbCanary; '", 'IMAP'],
            },
          ],
          [{ ...BASE, kind: 'get-monitoring-items', server: 'MBX1', healthSets: [] }],
          [
            {
              ...BASE,
              kind: 'set-database-activation',
              server: 'SERVER1',
              mode: 'allow',
              restorePolicy: 'IntrasiteOnly',
            },
          ],
          [
            {
              ...BASE,
              kind: 'set-database-activation',
              server: 'SERVER1',
              mode: 'allow',
              restorePolicy: "IntrasiteOnly'; Invoke-HbCanary; '",
            },
          ],
          // Issue 14: an override's names and a cluster action reach their cmdlets as data.
          [
            {
              ...BASE,
              kind: 'add-monitoring-override',
              server: 'SERVER1',
              healthSet: "IMAP'; Invoke-HbCanary; '",
              item: '$(Invoke-HbCanary)',
              itemType: 'Monitor',
              durationMinutes: 30,
            },
          ],
          [{ ...BASE, kind: 'set-cluster-node', server: 'MBX1', action: "resume'; Invoke-HbCanary; '" }],
        ],
      },
    );
    expect(exchange.canary().slice(canaryBefore)).toEqual([]);
    expect(reachedLater).toBeGreaterThan(0);
    // A rare lost answer is retried above; more than that would be a fault of its own.
    expect(timedOut, 'calls that timed out once').toBeLessThanOrEqual(2);
  }, 180_000);
});
