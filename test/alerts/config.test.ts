/** Alert settings: defaults (watch mode on, faster in the lab), every problem listed at once, secrets redacted. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/index.ts';
import { loadConfig, redactConfig } from '../../src/config.ts';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('alert settings', () => {
  it('watch the organisation by default: every 15 s in the lab, every 2 minutes against Exchange', () => {
    const lab = loadConfig({}).alerts;
    expect(lab).toMatchObject({
      locale: 'en',
      maxBytes: 262144,
      stormThreshold: 5,
      watch: { enabled: true, intervalSeconds: 15, concurrency: 4, samples: 2 },
    });
    expect(lab.token).toBeUndefined();
    const exchange = loadConfig({
      HEALTHBOT_EXCHANGE: 'powershell',
      HEALTHBOT_EXCHANGE_ENDPOINTS: 'ex1=http://ex1.contoso.com/PowerShell/',
    }).alerts;
    expect(exchange.watch.intervalSeconds).toBe(120);
    expect(loadConfig({ HEALTHBOT_WATCH: 'off' }).alerts.watch.enabled).toBe(false);
  });

  it('reads the channels, the ignore lists and the storm settings', () => {
    const a = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_ALERTS_CHANNEL: 'C0123ABCD',
      HEALTHBOT_ALERT_IGNORE_SERVERS: 'LABSRV01, ex-test',
      HEALTHBOT_ALERT_IGNORE_HEALTH_SETS: 'UM.CallRouter',
      HEALTHBOT_ALERT_STORM_THRESHOLD: '10',
      HEALTHBOT_ALERT_LOCALE: 'de',
    }).alerts;
    expect(a).toMatchObject({
      slackChannel: 'C0123ABCD',
      ignore: { servers: ['LABSRV01', 'ex-test'], healthSets: ['UM.CallRouter'] },
      stormThreshold: 10,
      locale: 'de',
    });
  });

  it('lists every problem of the alert settings at once', () => {
    const problems = problemsOf({
      HEALTHBOT_ALERT_TOKEN: 'short',
      HEALTHBOT_ALERT_HMAC_SECRET: 'also-short',
      HEALTHBOT_ALERT_MAX_BYTES: '12',
      HEALTHBOT_ALERT_LOCALE: 'pt',
      HEALTHBOT_ALERT_IGNORE_SERVERS: 'ok,no way',
      SLACK_ALERTS_CHANNEL: '#alerts',
      HEALTHBOT_WATCH: 'sometimes',
      HEALTHBOT_WATCH_INTERVAL_SECONDS: '1',
      HEALTHBOT_WATCH_CONCURRENCY: '0',
      HEALTHBOT_WATCH_SAMPLES: '20',
    });
    const text = problems.join('\n');
    for (const name of [
      'HEALTHBOT_ALERT_TOKEN',
      'HEALTHBOT_ALERT_HMAC_SECRET',
      'HEALTHBOT_ALERT_MAX_BYTES',
      'HEALTHBOT_ALERT_LOCALE',
      'HEALTHBOT_ALERT_IGNORE_SERVERS',
      'SLACK_ALERTS_CHANNEL must be',
      'SLACK_ALERTS_CHANNEL needs',
      'HEALTHBOT_WATCH must',
      'HEALTHBOT_WATCH_INTERVAL_SECONDS',
      'HEALTHBOT_WATCH_CONCURRENCY',
      'HEALTHBOT_WATCH_SAMPLES',
    ])
      expect(text).toContain(name);
    expect(problems).toHaveLength(11);
  });

  it('never shows the webhook token or HMAC secret', () => {
    const c = loadConfig({
      HEALTHBOT_ALERT_TOKEN: 'alert-token-0123456789',
      HEALTHBOT_ALERT_HMAC_SECRET: 'hmac-secret-0123456789abcdef0123456789',
    });
    expect(c.alerts.token).toBe('alert-token-0123456789');
    const shown = JSON.stringify(redactConfig(c));
    expect(shown).not.toContain('alert-token-0123456789');
    expect(shown).not.toContain('hmac-secret-0123456789abcdef0123456789');
    expect(shown).toContain('[redacted]');
  });
});
