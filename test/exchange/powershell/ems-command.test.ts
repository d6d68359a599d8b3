/**
 * "Copy as EMS command": every operation of the catalogue has its command, each names the
 * cmdlets its fixed script runs, values are quoted so the text means what it shows, and nothing
 * that runs against Exchange ever takes the text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation, OperationKind } from '../../../src/core/index.ts';
import { OPERATION_KINDS, emsCommand, isGatewayOperation, psQuote } from '../../../src/core/index.ts';
import { EMS_KINDS } from '../../../src/core/engine/ems-command.ts';
import { SCRIPTS } from '../../../src/exchange/powershell/scripts.ts';

const SAMPLES: Readonly<Record<OperationKind, Operation>> = {
  'get-server-health': { kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP', 'IMAP.Proxy'] },
  'invoke-probe': {
    kind: 'invoke-probe',
    server: 'SERVER1',
    healthSet: 'IMAP',
    probe: 'ImapCTPProbe',
    targetResource: 'MSExchangeIMAP4',
  },
  'get-service': { kind: 'get-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' },
  'restart-service': { kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' },
  'get-app-pool': { kind: 'get-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' },
  'recycle-app-pool': { kind: 'recycle-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' },
  'iis-reset': { kind: 'iis-reset', server: 'SERVER1' },
  'restart-server': { kind: 'restart-server', server: 'SERVER1' },
  'set-database-activation': {
    kind: 'set-database-activation',
    server: 'SERVER1',
    mode: 'allow',
    restorePolicy: 'IntrasiteOnly',
  },
  'get-database-copy-status': { kind: 'get-database-copy-status', server: 'SERVER1' },
  'get-protocol-logging': { kind: 'get-protocol-logging', server: 'SERVER1', protocol: 'pop' },
  'set-protocol-logging': { kind: 'set-protocol-logging', server: 'SERVER1', protocol: 'imap', enabled: true },
  'get-restart-readiness': { kind: 'get-restart-readiness', server: 'MBX1' },
  'get-server-state': { kind: 'get-server-state', server: 'SERVER1' },
  'set-server-component-state': {
    kind: 'set-server-component-state',
    server: 'SERVER1',
    component: 'ImapProxy',
    state: 'Active',
    requester: 'HealthAPI',
  },
  'redirect-messages': { kind: 'redirect-messages', server: 'SERVER2', target: 'server1.contoso.com' },
  'get-monitoring-mailboxes': { kind: 'get-monitoring-mailboxes', server: 'SERVER1' },
  'get-directory-servers': { kind: 'get-directory-servers', server: 'SERVER1' },
  'get-recovery-actions': { kind: 'get-recovery-actions', server: 'SERVER1', sinceMinutes: 1440 },
  'get-probe-history': {
    kind: 'get-probe-history',
    server: 'SERVER1',
    resultNames: ['ImapCTPProbe/IMAP'],
    monitors: ['ImapCommandProcessingTimeMonitor'],
    sinceMinutes: 120,
  },
  'get-windows-events': { kind: 'get-windows-events', server: 'SERVER1', sinceMinutes: 1440 },
  'get-monitoring-item-identity': { kind: 'get-monitoring-item-identity', server: 'SERVER1', healthSet: 'FreeBusy' },
  'rebalance-databases': { kind: 'rebalance-databases', server: 'SERVER1' },
  'get-queue': { kind: 'get-queue', server: 'MBX1' },
  'test-service-health': { kind: 'test-service-health', server: 'MBX1' },
  'test-replication-health': { kind: 'test-replication-health', server: 'MBX1' },
  'get-dag-status': { kind: 'get-dag-status', server: 'MBX1' },
  'get-website': { kind: 'get-website', server: 'SERVER1' },
  'get-monitoring-items': { kind: 'get-monitoring-items', server: 'SERVER1', healthSets: ['OWA'] },
  'get-cluster-node': { kind: 'get-cluster-node', server: 'SERVER1' },
  'set-cluster-node': { kind: 'set-cluster-node', server: 'SERVER1', action: 'resume' },
  'get-monitoring-overrides': { kind: 'get-monitoring-overrides', server: 'SERVER1', healthSets: ['IMAP'] },
  'add-monitoring-override': {
    kind: 'add-monitoring-override',
    server: 'SERVER1',
    healthSet: 'IMAP',
    item: 'ImapCTPMonitor',
    itemType: 'Monitor',
    durationMinutes: 1500,
  },
  'exit-maintenance': {
    kind: 'exit-maintenance',
    server: 'SERVER1',
    steps: [
      {
        do: {
          kind: 'set-server-component-state',
          server: 'SERVER1',
          component: 'ServerWideOffline',
          state: 'Active',
          requester: 'Maintenance',
        },
        undo: {
          kind: 'set-server-component-state',
          server: 'SERVER1',
          component: 'ServerWideOffline',
          state: 'Inactive',
          requester: 'Maintenance',
        },
      },
      {
        do: { kind: 'set-cluster-node', server: 'SERVER1', action: 'resume' },
        undo: { kind: 'set-cluster-node', server: 'SERVER1', action: 'suspend' },
      },
    ],
  },
};

/** The fixed script an operation runs; a composed one (leaving maintenance) runs its steps' scripts. */
const scriptOf = (op: Operation): string =>
  isGatewayOperation(op)
    ? SCRIPTS[op.kind]
    : op.kind === 'exit-maintenance'
      ? op.steps.map((step) => scriptOf(step.do)).join('\n')
      : '';

/** Pipeline plumbing a person types around the cmdlets; the scripts shape output their own way. */
const PLUMBING = new Set(['Invoke-Command', 'Select-Object', 'Format-List', 'Where-Object', 'ForEach-Object']);

describe('EMS commands', () => {
  it('exist for every operation of the catalogue', () => {
    expect([...EMS_KINDS].sort()).toEqual([...OPERATION_KINDS].sort());
    for (const kind of OPERATION_KINDS) expect(emsCommand(SAMPLES[kind]), kind).toEqual(expect.any(String));
  });

  it.each(OPERATION_KINDS)(
    '%s: names only cmdlets its fixed script runs, with the values the operation carries',
    (kind) => {
      const op = SAMPLES[kind];
      const command = emsCommand(op)!;
      // Cmdlets, and the Windows programs (appcmd, iisreset, shutdown) the OS scripts call.
      const cmdlets = [...command.matchAll(/\b([A-Z][a-z]+-[A-Z][A-Za-z]+|[a-z]+\.exe)\b/g)]
        .map((m) => m[1]!)
        .filter((c) => !PLUMBING.has(c));
      expect(cmdlets.length, command).toBeGreaterThan(0);
      for (const cmdlet of cmdlets) expect(scriptOf(op), `${kind} runs ${cmdlet}`).toContain(cmdlet);
      for (const value of Object.values(op).flat())
        if (
          typeof value === 'string' &&
          value !== kind &&
          !['allow', 'imap', 'pop', 'resume', 'suspend'].includes(value)
        )
          expect(command, `${kind} shows ${value}`).toContain(value);
    },
  );

  it('shows the exact commands a person would type', () => {
    expect(emsCommand(SAMPLES['invoke-probe'])).toBe(
      "Invoke-MonitoringProbe -Identity 'IMAP\\ImapCTPProbe\\MSExchangeIMAP4' -Server 'SERVER1'",
    );
    expect(emsCommand(SAMPLES['restart-service'])).toBe(
      "Invoke-Command -ComputerName 'MBX1' -ScriptBlock { Stop-Service -Name 'MSExchangeIMAP4BE' -Force; Start-Service -Name 'MSExchangeIMAP4BE' }",
    );
    expect(emsCommand(SAMPLES['get-recovery-actions'])).toBe(
      "Invoke-Command -ComputerName 'SERVER1' -ScriptBlock { Get-WinEvent -LogName 'Microsoft-Exchange-ManagedAvailability/RecoveryActionResults' -FilterXPath '*[System[TimeCreated[timediff(@SystemTime) <= 86400000]]]' -MaxEvents 200 }",
    );
    expect(emsCommand(SAMPLES['set-database-activation'])).toBe(
      "Set-MailboxServer -Identity 'SERVER1' -DatabaseCopyActivationDisabledAndMoveNow $false -DatabaseCopyAutoActivationPolicy 'IntrasiteOnly'",
    );
  });

  it('quotes any value as one PowerShell single-quoted string, the typographic quotes included', () => {
    const QUOTES = ["'", '\u2018', '\u2019', '\u201A', '\u201B'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...QUOTES, 'a', '$', '(', ')', ';', '`', '"', ' ') }), (value) => {
        const quoted = psQuote(value);
        expect(quoted.startsWith("'") && quoted.endsWith("'")).toBe(true);
        // Inside, every quote character comes in pairs: nothing can end the string early.
        const inner = quoted.slice(1, -1);
        let i = 0;
        while (i < inner.length) {
          if (QUOTES.includes(inner[i]!)) {
            expect(inner[i + 1]).toBe(inner[i]);
            i += 2;
          } else i += 1;
        }
        // Undoubling gives the value back.
        expect(inner.replace(/(['\u2018\u2019\u201A\u201B])\1/g, '$1')).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('is text for people only: nothing that reaches Exchange imports it', () => {
    const dir = join(import.meta.dirname, '../../../src/exchange');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/ems-command|emsCommand/);
  });
});
