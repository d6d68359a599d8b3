/**
 * The runbook families' reads in a real PowerShell 7: the fixed scripts against the stand-in
 * Exchange module answer what the lab answers for the same scenario (queues, service health per
 * role, the failing replication checks, the DAG with a member down, a server outside any DAG, the
 * IIS sites), and an empty answer from Exchange is unreadable or "none", never a healthy verdict.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Clock, Operation, Runbook } from '../../../src/core/index.ts';
import { GatewayError } from '../../../src/core/index.ts';
import { createLabGateway } from '../../../src/exchange/lab/index.ts';
import { loadRunbooks } from '../../../src/runbooks/index.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { onModule } from './helpers.ts';

const pwsh = pwshPath();
const root = join(import.meta.dirname, '../../..');
const NOW = new Date('2026-11-24T13:48:00.000Z');
const clock: Clock = { now: () => NOW, sleep: () => Promise.resolve() };
let runbooks: readonly Runbook[];
beforeAll(async () => {
  runbooks = (await loadRunbooks(join(root, 'runbooks'))).runbooks;
});

/** The checks both sides run; the lab runs a few more. */
const SHARED_CHECKS = [
  'ClusterService',
  'ReplayService',
  'ActiveManager',
  'TasksRpcListener',
  'TcpListener',
  'DagMembersUp',
  'DBCopyFailed',
];

function comparable(kind: Operation['kind'], r: Record<string, unknown>): unknown {
  switch (kind) {
    case 'test-service-health':
      return { ...r, roles: [...(r.roles as { role: string }[])].sort((a, b) => a.role.localeCompare(b.role)) };
    case 'test-replication-health':
      return {
        server: r.server,
        failed: (r.checks as { check: string; result: string }[])
          .filter((c) => SHARED_CHECKS.includes(c.check) && c.result !== 'Passed')
          .map((c) => c.check),
      };
    case 'get-dag-status': {
      const { witnessShareInUse: _share, ...rest } = r;
      return rest;
    }
    default:
      return r;
  }
}

describe('the families’ reads in a real PowerShell 7 answer as the lab does', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  const reads: Operation[] = [
    { kind: 'get-queue', server: 'MBX1' },
    { kind: 'test-service-health', server: 'SERVER2' },
    { kind: 'test-service-health', server: 'MBX1' },
    { kind: 'test-replication-health', server: 'SERVER2' },
    { kind: 'get-dag-status', server: 'SERVER2' },
    { kind: 'get-dag-status', server: 'MBX2' },
    { kind: 'get-website', server: 'SERVER1' },
    { kind: 'get-website', server: 'MBX1' },
  ];
  for (const scenario of ['dataprotection-repl-stopped', 'mailboxtransport-delivery', 'standalone-mailbox']) {
    it(`${scenario}: queues, service health, replication checks, the DAG and the IIS sites`, async () => {
      const lab = await createLabGateway({
        runbooks,
        scenariosDir: join(root, 'config/lab-scenarios'),
        clock,
        latency: 'none',
        scenario,
      });
      const { gateway } = await onModule(pwsh, scenario, {}, {}, NOW);
      const servers = new Set((await lab.listServers()).map((s) => s.name));
      for (const op of reads.filter((o) => servers.has(o.server))) {
        const [fromLab, fromPwsh] = [await lab.run(op as never), await gateway.run(op as never)];
        expect(
          comparable(op.kind, fromPwsh as unknown as Record<string, unknown>),
          `${scenario} ${op.kind} ${op.server}`,
        ).toEqual(comparable(op.kind, fromLab as unknown as Record<string, unknown>));
      }
      await lab.close();
    }, 90_000);
  }

  it('dataprotection-repl-stopped: the Replication service down fails ReplayService and takes SERVER2 out of the operational members', async () => {
    const { gateway } = await onModule(pwsh, 'dataprotection-repl-stopped', {}, {}, NOW);
    const checks = await gateway.run({ kind: 'test-replication-health', server: 'SERVER2' });
    expect(checks.checks.find((c) => c.check === 'ReplayService')).toEqual({
      check: 'ReplayService',
      result: '*FAILED*',
      error: 'ReplayService failed on SERVER2.',
    });
    const dag = await gateway.run({ kind: 'get-dag-status', server: 'SERVER1' });
    expect(dag).toMatchObject({
      dag: 'DAG1',
      operationalServers: ['SERVER1', 'MBX1'],
      primaryActiveManager: 'SERVER1',
    });
  }, 60_000);

  it('an empty answer: no queues or checks is an answer with no rows, no mailbox server is unreadable', async () => {
    const { exchange, gateway } = await onModule(pwsh, 'mailboxtransport-delivery', {}, {}, NOW);
    exchange.inject('Get-Queue', { kind: 'empty' });
    expect(await gateway.run({ kind: 'get-queue', server: 'MBX1' })).toEqual({ server: 'MBX1', queues: [] });
    exchange.inject('Test-ReplicationHealth', { kind: 'empty' });
    expect(await gateway.run({ kind: 'test-replication-health', server: 'MBX1' })).toEqual({
      server: 'MBX1',
      checks: [],
    });
    exchange.inject('Get-MailboxServer', { kind: 'empty' });
    const err = await gateway.run({ kind: 'get-dag-status', server: 'MBX1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({
      code: 'failed',
      message: expect.stringContaining('Get-MailboxServer returned nothing'),
    });
  }, 60_000);
});
