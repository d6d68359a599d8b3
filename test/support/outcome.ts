/**
 * An action's outcome without its `say` (the code and values the engine renders in the person's
 * language). Tests that pin a gateway's English `detail` compare the rest with this; the codes
 * are pinned on their own (test/exchange/powershell/parse.test.ts, test/exchange/lab.test.ts).
 */
export function unsaid(outcome: unknown): unknown {
  if (!outcome || typeof outcome !== 'object') return outcome;
  const { say: _say, ...rest } = outcome as Record<string, unknown>;
  return rest;
}
