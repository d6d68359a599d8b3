/** Twenty `healthbot approve` processes at once on one embedded database: they take turns. */
import { describe, it } from 'vitest';
import { cliEnv } from './cli-process.ts';
import { expectOneExecution, twentyApprovals } from './twenty-approvals.ts';

describe('twenty simultaneous approve processes', () => {
  it('on the embedded database: they take turns, one runs the restart', { timeout: 300_000 }, async () => {
    expectOneExecution(await twentyApprovals(cliEnv()));
  });
});
