/** Reading the envelope out of what pwsh printed, as a real pwsh prints it. */
import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../../src/exchange/powershell/envelope.ts';

describe('reading a script answer', () => {
  it('finds the envelope behind the keypad-mode switches a real pwsh 7.6 on Linux writes around each command', () => {
    // Captured from pwsh 7.6.9 under node-powershell: ESC [?1h ESC [?1l before and after the output.
    const stdout =
      '\u001b[?1h\u001b[?1l{"healthbot":1,"ok":true,"data":[{"PSVersion":"7.6.9"}],"warnings":[]}\n\u001b[?1h\u001b[?1l\u001b[?1h\u001b[?1l';
    const answer = readAnswer(stdout, '\u001b[31;1mWARNING: slow\u001b[0m');
    expect(answer.envelope).toEqual({ ok: true, data: [{ PSVersion: '7.6.9' }], warnings: [] });
    expect(answer.noise).toEqual(['WARNING: slow']);
  });
});
