/**
 * Approval expiry from the environment and from the policy file (issue 18, fault 15): the policy
 * file wins, the environment fills in when the file is silent, and a conflict is reported at start
 * (a warning from the services the bot and the CLI build) and by `healthbot doctor`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { chooseExpiry } from '../../src/policy/expiry.ts';
import { buildServices } from '../../src/wiring/services.ts';
import { runCli } from '../../src/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-expiry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

function policyFile(name: string, expiryMinutes?: number): string {
  const file = join(dir, name);
  const lines = ['policy:', '  operators: [{ userId: U1 }]', '  approvers: [{ userId: U2 }]'];
  if (expiryMinutes !== undefined) lines.push(`  expiryMinutes: ${expiryMinutes}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('choosing the approval expiry', () => {
  it('takes the policy file over the environment, and says so when they differ', () => {
    const choice = chooseExpiry({
      environment: { minutes: 60, explicit: true },
      policyFile: { path: '/etc/hb/policy.yaml', minutes: 10 },
    });
    expect(choice).toMatchObject({ minutes: 10, source: 'policy-file' });
    expect(choice.conflict).toBe(
      'HEALTHBOT_APPROVAL_EXPIRY_MINUTES=60 is ignored: the policy file /etc/hb/policy.yaml sets expiryMinutes: 10, and the policy file wins. Remove one of them.',
    );
  });

  it('reports no conflict when they agree, or when only one of them is set', () => {
    expect(
      chooseExpiry({ environment: { minutes: 10, explicit: true }, policyFile: { path: 'p', minutes: 10 } }).conflict,
    ).toBeUndefined();
    expect(
      chooseExpiry({ environment: { minutes: 15, explicit: false }, policyFile: { path: 'p', minutes: 10 } }),
    ).toEqual({ minutes: 10, source: 'policy-file' });
    expect(chooseExpiry({ environment: { minutes: 45, explicit: true }, policyFile: { path: 'p' } })).toEqual({
      minutes: 45,
      source: 'environment',
    });
    expect(chooseExpiry({ environment: { minutes: 15, explicit: false } })).toEqual({ minutes: 15, source: 'default' });
  });
});

// Each start opens a fresh embedded database (initdb takes seconds on a busy machine).
describe('at start', { timeout: 120_000 }, () => {
  const start = async (env: Record<string, string>) => {
    const warnings: string[] = [];
    const config = loadConfig({ HEALTHBOT_DATA_DIR: mkdtempSync(join(dir, 'data-')), ...env });
    const services = await buildServices(config, { surfaces: () => undefined, warn: (m) => warnings.push(m) });
    await services.close();
    return { warnings, policy: services.policy };
  };

  it("uses the policy file's expiry and warns that the environment's is ignored", async () => {
    const { warnings, policy } = await start({
      HEALTHBOT_POLICY_FILE: policyFile('ten.yaml', 10),
      HEALTHBOT_APPROVAL_EXPIRY_MINUTES: '60',
    });
    expect(policy.expiryMinutes).toBe(10);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^HEALTHBOT_APPROVAL_EXPIRY_MINUTES=60 is ignored: the policy file .*ten\.yaml sets expiryMinutes: 10/,
      ),
    );
  });

  it("uses the environment's expiry when the policy file sets none, without a warning", async () => {
    const { warnings, policy } = await start({
      HEALTHBOT_POLICY_FILE: policyFile('silent.yaml'),
      HEALTHBOT_APPROVAL_EXPIRY_MINUTES: '45',
    });
    expect(policy.expiryMinutes).toBe(45);
    expect(warnings.filter((w) => /EXPIRY/.test(w))).toEqual([]);
  });
});

describe('healthbot doctor', () => {
  it('names where the expiry comes from and warns about the conflict', async () => {
    vi.stubEnv('HEALTHBOT_POLICY_FILE', policyFile('doctor.yaml', 20));
    vi.stubEnv('HEALTHBOT_APPROVAL_EXPIRY_MINUTES', '5');
    vi.stubEnv('HEALTHBOT_EXCHANGE', 'lab');
    let out = '';
    const code = await runCli(['doctor', '--data', mkdtempSync(join(dir, 'data-'))], {
      out: (t) => (out += t),
      err: (t) => (out += t),
    });
    expect(code).toBe(0);
    expect(out).toMatch(/approvals: requests expire after 20 minutes \(from the policy file .*doctor\.yaml\)/);
    expect(out).toMatch(/warning: HEALTHBOT_APPROVAL_EXPIRY_MINUTES=5 is ignored/);
  });

  it('names the environment when the policy file is silent', async () => {
    vi.stubEnv('HEALTHBOT_POLICY_FILE', policyFile('doctor-silent.yaml'));
    vi.stubEnv('HEALTHBOT_APPROVAL_EXPIRY_MINUTES', '5');
    vi.stubEnv('HEALTHBOT_EXCHANGE', 'lab');
    let out = '';
    await runCli(['doctor'], { out: (t) => (out += t), err: (t) => (out += t) });
    expect(out).toMatch(/approvals: requests expire after 5 minutes \(from HEALTHBOT_APPROVAL_EXPIRY_MINUTES\)/);
    expect(out).not.toMatch(/warning/);
  });
});
