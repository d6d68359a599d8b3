/** The one path from an error to what a person reads: every code lands on a key both languages have. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ChatError,
  GATEWAY_ERROR_CODES,
  GatewayError,
  HealthbotError,
  StoreError,
  userMessage,
} from '../../src/core/index.ts';
import { createTranslator } from '../../src/i18n/index.ts';

const t = createTranslator(join(resolve(import.meta.dirname, '../..'), 'locales'));

describe('userMessage', () => {
  it('names the failing part: store, chat platform, Exchange per code, unknown server, lost race, else internal', () => {
    expect(userMessage(new StoreError('unavailable', 'db down'))).toMatchObject({
      key: 'errors.store',
      code: 'unavailable',
      namesServer: false,
    });
    expect(userMessage(new ChatError('chat', 'slack 500'))).toMatchObject({ key: 'errors.chat', namesServer: false });
    expect(userMessage(new GatewayError('timeout', 'slow', { seconds: 30 }), { server: 'MBX1' })).toEqual({
      key: 'errors.timeout',
      vars: { server: 'MBX1', seconds: 30 },
      code: 'timeout',
      namesServer: true,
    });
    expect(userMessage(new HealthbotError('unknown-server', 'who?', { server: 'MBX9' }))).toMatchObject({
      key: 'errors.unknown-server',
      vars: { server: 'MBX9' },
    });
    expect(userMessage(new HealthbotError('conflict', 'raced'))).toMatchObject({ key: 'errors.conflict' });
    expect(userMessage(new Error('a bug'))).toEqual({
      key: 'errors.internal',
      vars: {},
      code: 'internal',
      namesServer: false,
    });
    expect(userMessage('thrown string')).toMatchObject({ key: 'errors.internal' });
  });

  it('lands every gateway code and every other outcome on a key that exists in every language', () => {
    const errors = [
      ...GATEWAY_ERROR_CODES.map((c) => new GatewayError(c, c)),
      new StoreError('x', 'x'),
      new ChatError('x', 'x'),
      new HealthbotError('conflict', 'x'),
      new Error('x'),
    ];
    for (const err of errors) {
      const { key } = userMessage(err);
      expect(t.has(key), key).toBe(true);
      for (const lng of ['en', 'de'] as const)
        expect(t.for(lng)(key, { server: 'MBX1' }), `${lng}: ${key}`).not.toBe(key);
    }
  });
});
