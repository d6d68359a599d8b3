/**
 * First the real figures: a real PowerShell 7 with the stand-in Exchange module (see
 * powershell-real.ts). Then the PowerShell gateway's own cost, on the stand-in pwsh (no Exchange here): the stand-in
 * emulates pwsh's start-up and the session import with delays, and answers at once otherwise, so
 * what is measured is the gateway plus node-powershell plus a process round trip.
 *
 * 1. Overhead per operation on a warm shell (pool ready) against a cold one (spawn + session
 *    import + the operation), medians and their ratio.
 * 2. Twenty servers diagnosed at once by the engine, against the per-server limit: wall time,
 *    the most operations seen at once on one server, and shells started.
 */
import { randomUUID } from 'node:crypto';
import type { PowerShellGatewayOptions } from '../src/exchange/powershell/index.ts';
import { createPowerShellGateway } from '../src/exchange/powershell/index.ts';
import { RecordingSurface } from '../src/cli/surface.ts';
import { FAKE_PWSH, contoso, fakeEnv, manyServers } from '../test/fixtures/fake-pwsh/org.ts';
import { realPwshFigures } from './powershell-real.ts';
import { benchEngine } from './engine.ts';
import { fmt, median, percentile } from './stats.ts';
/**
 * The stand-in's emulated start-up: pwsh's real cold start when it could be measured here,
 * otherwise a scaled-down guess. The session import stays emulated: Import-PSSession's cost is
 * Exchange's and the network's, which no machine without Exchange can measure.
 */
let STARTUP_MS = 300;
const IMPORT_MS = 700;

function options(env: NodeJS.ProcessEnv, over: Partial<PowerShellGatewayOptions> = {}): PowerShellGatewayOptions {
  return {
    executable: FAKE_PWSH,
    endpoints: [{ server: 'SERVER1', uri: 'http://server1.contoso.com/PowerShell/' }],
    authentication: 'Kerberos',
    operationTimeoutMs: 30_000,
    perServerConcurrency: 2,
    shells: 4,
    env,
    ...over,
  };
}

async function warmVersusCold(runs: number): Promise<void> {
  const fake = fakeEnv(contoso('healthy'), {
    FAKE_PWSH_STARTUP_MS: String(STARTUP_MS),
    FAKE_PWSH_IMPORT_MS: String(IMPORT_MS),
  });
  const op = { kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] } as const;
  const cold: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(runs / 10)); i++) {
    const g = await createPowerShellGateway(options(fake.env, { shells: 1 }));
    const started = performance.now();
    await g.listServers(); // the inventory is read once per gateway; it needs the session too
    await g.run(op);
    cold.push(performance.now() - started);
    await g.close();
  }
  const g = await createPowerShellGateway(options(fake.env, { shells: 1, recheckAfterIdleMs: 60_000 }));
  await g.run(op);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await g.run(op);
    warm.push(performance.now() - started);
  }
  // The same with a health check before every reuse (a shell idle longer than recheckAfterIdleMs).
  await g.close();
  const checked = await createPowerShellGateway(options(fake.env, { shells: 1, recheckAfterIdleMs: 0 }));
  await checked.run(op);
  const warmChecked: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await checked.run(op);
    warmChecked.push(performance.now() - started);
  }
  await checked.close();
  console.log(
    `overhead per operation (stand-in pwsh: start-up ${STARTUP_MS} ms, session import ${IMPORT_MS} ms, Exchange time 0)`,
  );
  console.log(`  cold (spawn + import + inventory + op)  median ${fmt(median(cold))} ms over ${cold.length} runs`);
  console.log(
    `  warm shell                            median ${fmt(median(warm))} ms   p95 ${fmt(percentile(warm, 95))} ms over ${runs} runs`,
  );
  console.log(
    `  warm shell, health check first        median ${fmt(median(warmChecked))} ms   p95 ${fmt(percentile(warmChecked, 95))} ms`,
  );
  console.log(`  cold / warm                           ${fmt(median(cold) / median(warm), 0)}x`);
}

async function twentyServers(): Promise<void> {
  const servers = 20;
  const delays = { 'get-server-health': 50, 'invoke-probe': 200 };
  const fake = fakeEnv(manyServers(servers), {
    FAKE_PWSH_STARTUP_MS: String(STARTUP_MS),
    FAKE_PWSH_IMPORT_MS: String(IMPORT_MS),
    FAKE_PWSH_DELAYS: JSON.stringify(delays),
  });
  for (const shells of [4, 8]) {
    const before = fake.lines().length;
    const gateway = await createPowerShellGateway(options(fake.env, { shells, perServerConcurrency: 2 }));
    await gateway.listServers();
    const warmedAt = performance.now();
    // Warm the whole pool first, so the figure is about scheduling, not start-up.
    await Promise.all(
      Array.from({ length: shells }, (_, i) =>
        gateway.run({ kind: 'get-database-copy-status', server: `SRV${String(i + 1).padStart(2, '0')}` }),
      ),
    );
    const warmMs = performance.now() - warmedAt;
    const surface = new RecordingSurface();
    const engine = await benchEngine({ gateway, surfaces: () => surface });
    const actor = { platform: 'bench', userId: 'b', displayName: 'bench' };
    const started = performance.now();
    await Promise.all(
      Array.from({ length: servers }, (_, i) =>
        engine.handle({
          kind: 'message',
          eventId: randomUUID(),
          conversation: `bench:${i}`,
          actor,
          text: `what's wrong with IMAP on srv${String(i + 1).padStart(2, '0')}?`,
        }),
      ),
    );
    const wall = performance.now() - started;
    const stats = gateway.stats();
    const ops = fake.lines().length - before;
    await gateway.close();
    const perServerMs = delays['get-server-health'] + delays['invoke-probe'];
    const confirmed = surface.messages.filter(
      (m) => m.card.kind === 'diagnosis' && /problem confirmed/.test(m.card.title),
    ).length;
    console.log(
      `${servers} servers diagnosed at once (GSH ${delays['get-server-health']} ms, 2 probes of ${delays['invoke-probe']} ms each per server), ${shells} shells, 2 per server`,
    );
    console.log(
      `  wall time ${fmt(wall)} ms; one server alone needs ≥ ${perServerMs} ms; ideal with ${shells} shells ≈ ${fmt((servers * (delays['get-server-health'] + 2 * delays['invoke-probe'])) / shells)} ms`,
    );
    console.log(
      `  most operations at once on one server: ${Math.max(...Object.values(stats.peakPerServer))} (limit 2); shells started ${stats.started} (pool warm-up ${fmt(warmMs)} ms); diagnoses confirmed ${confirmed}/${servers}; scripts sent ${ops}`,
    );
  }
}

export async function benchPowerShell(runs = 100): Promise<void> {
  const measured = await realPwshFigures(Math.max(5, Math.ceil(runs / 20)), runs, {
    startupMs: STARTUP_MS,
    importMs: IMPORT_MS,
  });
  if (measured !== undefined) STARTUP_MS = Math.round(measured);
  await warmVersusCold(runs);
  await twentyServers();
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPowerShell();
