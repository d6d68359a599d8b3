import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/index.ts';
import { hasRole, requiredApprovals } from '../../src/core/index.ts';
import { loadPolicyFile, parsePolicy } from '../../src/policy/load.ts';

const labFile = join(import.meta.dirname, '../../config/lab.yaml');

describe('policy file', () => {
  it('loads the lab personas and their roles', async () => {
    const { policy, personas } = await loadPolicyFile(labFile, { expiryMinutes: 30 });
    expect(personas.map((p) => p.id)).toEqual(['alice', 'bob', 'carol', 'dave']);
    const actor = (id: string) => {
      const p = personas.find((x) => x.id === id)!;
      return {
        platform: 'lab',
        userId: p.id,
        displayName: p.displayName,
        ...(p.directoryId ? { directoryId: p.directoryId } : {}),
      };
    };
    expect(hasRole(policy, actor('alice'), 'operator')).toBe(true);
    expect(hasRole(policy, actor('bob'), 'operator')).toBe(false);
    expect(hasRole(policy, actor('bob'), 'approver')).toBe(true);
    expect(hasRole(policy, actor('carol'), 'approver')).toBe(false);
    expect(hasRole(policy, actor('carol'), 'asker')).toBe(true);
    expect(requiredApprovals(policy, { kind: 'restart-server', server: 'MBX1' }, ['Mailbox'])).toBe(2);
    expect(policy.expiryMinutes).toBe(15);
  });

  it('lists every problem at once, including unknown keys', () => {
    const text = [
      'personas:',
      '  - id: Alice',
      '    displayName: A',
      '  - id: bob',
      '    displayName: B',
      '    colour: blue',
      'policy:',
      '  aprovers: []',
      '  operators:',
      '    - userId: U1',
      '      directoryId: x@y.z',
      '  rules:',
      '    - operation: format-disk',
      '      approvals: 2',
    ].join('\n');
    try {
      parsePolicy(text, 'policy.yaml', { expiryMinutes: 15 });
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toContain('personas.0.id');
      expect(problems).toContain('colour');
      expect(problems).toContain('aprovers');
      expect(problems).toContain('exactly one of userId, directoryId or group');
      expect(problems).toContain('rules.0.operation');
      expect((err as ConfigError).problems.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('reports a missing file and broken YAML clearly', async () => {
    await expect(loadPolicyFile('/nonexistent/policy.yaml', { expiryMinutes: 15 })).rejects.toThrow(
      /cannot read the policy file \(ENOENT\)/,
    );
    expect(() => parsePolicy('policy: [', 'p.yaml', { expiryMinutes: 15 })).toThrow(/p.yaml: not valid YAML/);
  });

  it('falls back to the configured expiry', () => {
    const { policy } = parsePolicy('policy:\n  operators: []\n', 'p.yaml', { expiryMinutes: 42 });
    expect(policy.expiryMinutes).toBe(42);
    expect(policy.askers).toBe('everyone');
  });

  it('takes the longest monitoring override in hours, and refuses one past a week or below an hour', () => {
    expect(
      parsePolicy('policy:\n  maxOverrideHours: 8\n', 'p.yaml', { expiryMinutes: 15 }).policy.maxOverrideHours,
    ).toBe(8);
    expect(
      parsePolicy('policy:\n  operators: []\n', 'p.yaml', { expiryMinutes: 15 }).policy.maxOverrideHours,
    ).toBeUndefined();
    expect(() => parsePolicy('policy:\n  maxOverrideHours: 500\n', 'p.yaml', { expiryMinutes: 15 })).toThrow(
      /p.yaml: policy.maxOverrideHours: /,
    );
    expect(() => parsePolicy('policy:\n  maxOverrideHours: 0\n', 'p.yaml', { expiryMinutes: 15 })).toThrow(
      /policy.maxOverrideHours/,
    );
    expect(() => parsePolicy('policy:\n  maxOverrideHours: 1.5\n', 'p.yaml', { expiryMinutes: 15 })).toThrow(
      /policy.maxOverrideHours/,
    );
  });
});
