import { describe, expect, it } from 'vitest';
import { boundedRead, sideRead } from '../../src/core/engine/bounded-read.ts';
import { GatewayError } from '../../src/core/errors.ts';
import type { ExchangeGateway } from '../../src/core/ports/gateway.ts';

function gatewayThat(run: (timeoutMs: number | undefined) => Promise<unknown>): ExchangeGateway {
  return {
    listServers: async () => [],
    run: ((_op: unknown, options?: { timeoutMs?: number }) => run(options?.timeoutMs)) as ExchangeGateway['run'],
    health: async () => ({ ok: true, detail: '' }),
    close: async () => {},
  };
}

const op = { kind: 'get-service', server: 'SERVER1', service: 'MSExchangeIMAP4' } as const;

describe('boundedRead', () => {
  it('passes its own time limit to the gateway and returns the value', async () => {
    const seen: (number | undefined)[] = [];
    const outcome = await boundedRead(
      gatewayThat(async (ms) => (seen.push(ms), { status: 'Running' })),
      op,
      1500,
    );
    expect(outcome).toEqual({ status: 'read', value: { status: 'Running' } });
    expect(seen).toEqual([1500]);
  });

  it('reports a timeout as timed out, not as an empty answer', async () => {
    const outcome = await boundedRead(
      gatewayThat(async () => {
        throw new GatewayError('timeout', 'slow');
      }),
      op,
      10,
    );
    expect(outcome).toEqual({ status: 'timed-out' });
  });

  it('reports any other failure with its code', async () => {
    const refused = await boundedRead(
      gatewayThat(async () => {
        throw new GatewayError('not-allowed', 'no rights');
      }),
      op,
      10,
    );
    expect(refused).toMatchObject({ status: 'failed', code: 'not-allowed' });
    const odd = await boundedRead(
      gatewayThat(async () => {
        throw new TypeError('boom');
      }),
      op,
      10,
    );
    expect(odd).toMatchObject({ status: 'failed', code: 'unexpected', reason: 'boom' });
  });
});

describe('sideRead', () => {
  it('keeps a read value mapped, and why a read failed, never an empty value in its place', () => {
    expect(sideRead({ status: 'read', value: [1, 2, 3] }, (v) => v.length)).toEqual({ status: 'read', value: 3 });
    expect(sideRead({ status: 'timed-out' }, () => 0)).toEqual({ status: 'timed-out' });
    expect(sideRead({ status: 'failed', code: 'not-allowed', reason: 'no rights' }, () => 0)).toEqual({
      status: 'failed',
      code: 'not-allowed',
    });
  });
});
