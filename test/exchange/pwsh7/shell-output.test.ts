/**
 * What a real PowerShell 7 writes around an answer. With TERM naming a terminal, .NET's console
 * writes cursor-mode escapes (ESC[?1h, ESC[?1l) around each command it reads from a pipe; one
 * that lands right after node-powershell's end marker, in the same chunk, hid the marker and the
 * call hung until its timeout (seen about once in a few hundred calls on a busy machine, in the
 * injection property test). The shell is started as no terminal, whatever TERM the bot has.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PwshShell } from '../../../src/exchange/powershell/shell.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';

const pwsh = pwshPath();

describe('a PowerShell 7 shell', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }
  const shells: PwshShell[] = [];
  afterAll(async () => {
    for (const shell of shells) await shell.dispose();
  });

  it('answers without terminal escapes when the bot runs with TERM set to a terminal', async () => {
    const shell = new PwshShell({ executable: pwsh, env: { ...process.env, TERM: 'xterm-256color' } });
    shells.push(shell);
    for (let i = 0; i < 3; i++) {
      const answer = await shell.run('version', {}, AbortSignal.timeout(60_000));
      expect(answer.stdout).toContain('"healthbot":1');
      expect(answer.stdout).not.toContain('\u001b');
    }
  }, 120_000);
});
