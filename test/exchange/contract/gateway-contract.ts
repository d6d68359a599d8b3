/**
 * What every ExchangeGateway must do, whatever is behind it. The lab runs this suite; the
 * PowerShell gateway will run it against its stand-in pwsh.
 */
import { describe, expect, it } from 'vitest';
import type { ExchangeGateway, Operation } from '../../../src/core/index.ts';
import { ALERT_VALUES, GatewayError, PROBE_RESULT_TYPES } from '../../../src/core/index.ts';

export interface GatewayFixture {
  readonly gateway: ExchangeGateway;
  /** A probe that exists on `server`, for invoke-probe. */
  readonly probe: { readonly server: string; readonly healthSet: string; readonly probe: string };
}

export function gatewayContract(name: string, make: () => Promise<GatewayFixture>): void {
  describe(`ExchangeGateway contract: ${name}`, () => {
    it('lists servers with names, FQDNs and roles', async () => {
      const { gateway } = await make();
      const servers = await gateway.listServers();
      expect(servers.length).toBeGreaterThan(0);
      for (const s of servers) {
        expect(s.name).toMatch(/^[A-Za-z0-9-]+$/);
        expect(s.fqdn.toLowerCase().startsWith(s.name.toLowerCase())).toBe(true);
        expect(s.roles.length).toBeGreaterThan(0);
      }
      await gateway.close();
    });

    it('reads Get-ServerHealth as typed rows, filtered by health set without regard to case', async () => {
      const { gateway, probe } = await make();
      const rows = await gateway.run({
        kind: 'get-server-health',
        server: probe.server,
        healthSets: [probe.healthSet.toLowerCase()],
      });
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(ALERT_VALUES).toContain(r.alertValue);
        expect(r.healthSet.toLowerCase()).toBe(probe.healthSet.toLowerCase());
        expect(r.server.toLowerCase()).toBe(probe.server.toLowerCase());
      }
      await gateway.close();
    });

    it('returns a probe result as a value, with its timing', async () => {
      const { gateway, probe } = await make();
      const r = await gateway.run({ kind: 'invoke-probe', ...probe });
      expect(PROBE_RESULT_TYPES).toContain(r.resultType);
      expect(r.probe).toBe(probe.probe);
      expect(Date.parse(r.endedAt)).toBeGreaterThanOrEqual(Date.parse(r.startedAt));
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
      await gateway.close();
    });

    it('accepts a server by FQDN as well as by name', async () => {
      const { gateway, probe } = await make();
      const fqdn = (await gateway.listServers()).find((s) => s.name === probe.server)!.fqdn.toUpperCase();
      await expect(gateway.run({ kind: 'get-database-copy-status', server: fqdn })).resolves.toBeDefined();
      await gateway.close();
    });

    const hostile: Operation[] = [
      { kind: 'get-server-health', server: 'server1; Restart-Computer -Force' },
      { kind: 'restart-service', server: 'NOPE', service: 'MSExchangeIMAP4' },
      { kind: 'restart-server', server: '$(Stop-Computer)' },
      { kind: 'invoke-probe', server: 'server99', healthSet: 'IMAP', probe: 'ImapCTPProbe' },
    ];
    it.each(hostile.map((op) => [op.kind, op.server, op] as const))(
      'refuses %s on unknown server %j before running anything',
      async (_k, _s, op) => {
        const { gateway } = await make();
        await expect(gateway.run(op as never)).rejects.toMatchObject({ code: 'unknown-server' });
        await gateway.close();
      },
    );

    it('refuses services and app pools that are not on the allow-lists', async () => {
      const { gateway, probe } = await make();
      await expect(
        gateway.run({ kind: 'restart-service', server: probe.server, service: 'Spooler' as never }),
      ).rejects.toMatchObject({ code: 'not-allowed' });
      await expect(
        gateway.run({ kind: 'recycle-app-pool', server: probe.server, appPool: 'DefaultAppPool' as never }),
      ).rejects.toMatchObject({ code: 'not-allowed' });
      await gateway.close();
    });

    it('reports its health without throwing, and refuses work once closed', async () => {
      const { gateway, probe } = await make();
      expect((await gateway.health()).ok).toBe(true);
      await gateway.close();
      expect((await gateway.health()).ok).toBe(false);
      const err = await gateway.run({ kind: 'get-server-health', server: probe.server }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayError);
    });
  });
}
