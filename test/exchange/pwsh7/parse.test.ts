/**
 * Every fixed script, exactly as the gateway sends it, through PowerShell's own parser. This
 * catches a syntax error in a script that no scenario runs, before any Exchange sees it.
 */
import { describe, expect, it } from 'vitest';
import { invocationLine } from '../../../src/exchange/powershell/encode.ts';
import { SCRIPTS } from '../../../src/exchange/powershell/scripts.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { parseWithPowerShell } from './parse-check.ts';

const pwsh = pwshPath();

describe('the fixed scripts in a real PowerShell parser', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  it('parses every fixed script and its one-line invocation without an error', async () => {
    const inputs: Record<string, string> = {};
    for (const [name, script] of Object.entries(SCRIPTS)) {
      inputs[name] = script;
      // The line node-powershell writes to pwsh's stdin, with values shaped like a real call's.
      inputs[`${name} (invocation)`] = invocationLine(script, { server: 'SERVER1', fqdn: 'server1.contoso.com' });
    }
    const problems = await parseWithPowerShell(pwsh, inputs);
    expect(Object.keys(problems).sort()).toEqual(Object.keys(inputs).sort());
    const failing = Object.fromEntries(Object.entries(problems).filter(([, list]) => list.length > 0));
    expect(failing).toEqual({});
  });

  it('reports a script with a syntax error, with where it is', async () => {
    const problems = await parseWithPowerShell(pwsh, {
      broken: "param([string]$HbValues)\nif ($x -eq 'a' {\n  'no closing paren'\n}",
    });
    expect(problems.broken?.length).toBeGreaterThan(0);
    expect(problems.broken?.[0]?.line).toBe(2);
  });
});
