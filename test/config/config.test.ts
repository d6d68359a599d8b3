import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('configuration', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.exchange.kind).toBe('lab');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.slack).toBeUndefined();
    expect(c.teams).toBeUndefined();
    expect(c.web.enabled).toBe(true);
    expect(c.approvalExpiryMinutes).toBe(15);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      HEALTHBOT_EXCHANGE: 'carrier-pigeon',
      LOG_LEVEL: 'loud',
      SLACK_SIGNING_SECRET: 'abc',
      HEALTHBOT_TIMEZONE: 'Mars/Olympus',
    });
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(problems.join('\n')).toMatch(/HEALTHBOT_EXCHANGE/);
    expect(problems.join('\n')).toMatch(/SLACK_BOT_TOKEN/);
  });

  it('refuses to expose the web chat beyond loopback without an explicit setting and a token', () => {
    expect(problemsOf({ HOST: '0.0.0.0' }).join()).toMatch(/HEALTHBOT_WEB_ALLOW_REMOTE/);
    expect(problemsOf({ HOST: '0.0.0.0', HEALTHBOT_WEB_ALLOW_REMOTE: '1' }).join()).toMatch(/HEALTHBOT_WEB_TOKEN/);
    expect(
      problemsOf({
        HOST: '0.0.0.0',
        HEALTHBOT_WEB_ALLOW_REMOTE: '1',
        HEALTHBOT_WEB_TOKEN: 'a-long-enough-token',
      }).join(),
    ).toMatch(/HEALTHBOT_WEB_HOSTS/);
    expect(
      problemsOf({
        HOST: '0.0.0.0',
        HEALTHBOT_WEB_ALLOW_REMOTE: '1',
        HEALTHBOT_WEB_TOKEN: 'a-long-enough-token',
        HEALTHBOT_WEB_HOSTS: 'healthbot.contoso.com',
      }),
    ).toEqual([]);
    expect(problemsOf({ HOST: '0.0.0.0', HEALTHBOT_WEB: '0' })).toEqual([]);
  });

  it('reads the web chat host names and the status token, and refuses malformed ones', () => {
    expect(
      loadConfig({ HEALTHBOT_WEB_HOSTS: ' Healthbot.Contoso.com, chat.contoso.com:8443 ,[::1]:3000' }).web.hosts,
    ).toEqual(['healthbot.contoso.com', 'chat.contoso.com:8443', '[::1]:3000']);
    expect(loadConfig({}).web.hosts).toBeUndefined();
    for (const bad of [
      'http://healthbot.contoso.com',
      'healthbot.contoso.com/chat',
      'user@host',
      'host:port',
      '*.contoso.com',
    ]) {
      expect(problemsOf({ HEALTHBOT_WEB_HOSTS: bad }).join(), bad).toMatch(/HEALTHBOT_WEB_HOSTS/);
    }
    expect(problemsOf({ HEALTHBOT_STATUS_TOKEN: 'short' }).join()).toMatch(/HEALTHBOT_STATUS_TOKEN/);
    const config = loadConfig({ HEALTHBOT_STATUS_TOKEN: 'status-token-0123456789' });
    expect(config.statusToken).toBe('status-token-0123456789');
    expect(JSON.stringify(redactConfig(config))).not.toMatch(/status-token-0123456789/);
  });

  it('validates the PowerShell settings: endpoints, and Basic only over HTTPS with a credential', () => {
    expect(problemsOf({ HEALTHBOT_EXCHANGE: 'powershell' }).join()).toMatch(/ENDPOINTS/);
    expect(
      problemsOf({
        HEALTHBOT_EXCHANGE: 'powershell',
        HEALTHBOT_EXCHANGE_ENDPOINTS: 'ex1=http://ex1.contoso.com/PowerShell/',
        HEALTHBOT_EXCHANGE_AUTH: 'Basic',
      }).join('\n'),
    ).toMatch(/https[\s\S]*|USERNAME/);
    const c = loadConfig({
      HEALTHBOT_EXCHANGE: 'powershell',
      HEALTHBOT_EXCHANGE_ENDPOINTS: 'ex1=http://ex1.contoso.com/PowerShell/, ex2=http://ex2.contoso.com/PowerShell/',
    });
    expect(c.exchange.kind === 'powershell' && c.exchange.endpoints.map((e) => e.server)).toEqual(['ex1', 'ex2']);
    expect(c.exchange.kind === 'powershell' && c.exchange.authentication).toBe('Kerberos');
    expect(c.exchange.kind === 'powershell' && c.exchange.remotingAuthentication).toBe('Kerberos');
    const basic = {
      HEALTHBOT_EXCHANGE: 'powershell',
      HEALTHBOT_EXCHANGE_ENDPOINTS: 'ex1=https://ex1.contoso.com/PowerShell/',
      HEALTHBOT_EXCHANGE_AUTH: 'Basic',
      HEALTHBOT_EXCHANGE_USERNAME: 'u',
      HEALTHBOT_EXCHANGE_PASSWORD: 'p',
    };
    const b = loadConfig(basic);
    // WinRM never reuses Basic: Negotiate unless Kerberos is asked for.
    expect(b.exchange.kind === 'powershell' && b.exchange.remotingAuthentication).toBe('Negotiate');
    expect(problemsOf({ ...basic, HEALTHBOT_WINRM_AUTH: 'Basic' }).join()).toMatch(
      /HEALTHBOT_WINRM_AUTH must be Kerberos or Negotiate/,
    );
    // The test seam of the PowerShell gateway (a stand-in module instead of Exchange) is not a setting.
    expect(
      loadConfig({ ...basic, HEALTHBOT_STAND_IN_MODULE: '/tmp/x.psm1', STANDINMODULE: '/tmp/x.psm1' }).exchange,
    ).not.toHaveProperty('standInModule');
    expect(c.exchange.kind === 'powershell' && c.exchange).toMatchObject({
      executable: 'pwsh',
      shells: 4,
      connectTimeoutMs: 90_000,
      perServerConcurrency: 2,
      operationTimeoutMs: 120_000,
    });
  });

  it('reads the pwsh path, the pool size and the timeouts of the PowerShell gateway, within bounds', () => {
    const base = {
      HEALTHBOT_EXCHANGE: 'powershell',
      HEALTHBOT_EXCHANGE_ENDPOINTS: 'ex1=http://ex1.contoso.com/PowerShell/',
    };
    const c = loadConfig({
      ...base,
      HEALTHBOT_PWSH: '/opt/microsoft/powershell/7/pwsh',
      HEALTHBOT_PWSH_SHELLS: '8',
      HEALTHBOT_PWSH_CONNECT_TIMEOUT_MS: '30000',
      HEALTHBOT_EXCHANGE_CONCURRENCY: '3',
    });
    expect(c.exchange.kind === 'powershell' && c.exchange).toMatchObject({
      executable: '/opt/microsoft/powershell/7/pwsh',
      shells: 8,
      connectTimeoutMs: 30_000,
      perServerConcurrency: 3,
    });
    const problems = problemsOf({
      ...base,
      HEALTHBOT_PWSH_SHELLS: '0',
      HEALTHBOT_PWSH_CONNECT_TIMEOUT_MS: 'soon',
    }).join('\n');
    expect(problems).toMatch(/HEALTHBOT_PWSH_SHELLS must be a whole number from 1 to 16/);
    expect(problems).toMatch(/HEALTHBOT_PWSH_CONNECT_TIMEOUT_MS must be a whole number/);
  });

  it('reads the Exchange password from a file and never shows it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-cfg-'));
    writeFileSync(join(dir, 'pw'), 'from-a-file-secret\n');
    const c = loadConfig({
      HEALTHBOT_EXCHANGE: 'powershell',
      HEALTHBOT_EXCHANGE_ENDPOINTS: 'ex1=https://ex1.contoso.com/PowerShell/',
      HEALTHBOT_EXCHANGE_AUTH: 'Basic',
      HEALTHBOT_EXCHANGE_USERNAME: 'svc-healthbot@contoso.com',
      HEALTHBOT_EXCHANGE_PASSWORD_FILE: join(dir, 'pw'),
    });
    expect(c.exchange.kind === 'powershell' && c.exchange.credential?.password).toBe('from-a-file-secret');
    expect(JSON.stringify(redactConfig(c))).not.toContain('from-a-file-secret');
    expect(
      problemsOf({
        HEALTHBOT_EXCHANGE: 'powershell',
        HEALTHBOT_EXCHANGE_ENDPOINTS: 'ex1=https://ex1.contoso.com/PowerShell/',
        HEALTHBOT_EXCHANGE_PASSWORD_FILE: join(dir, 'missing'),
      }).join(),
    ).toMatch(/cannot read/);
  });

  it('starts Slack and Teams only when their credentials are set, and refuses an unauthenticated Teams', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack?.signingSecret).toBe('s');
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' }).join()).toMatch(/SLACK_APP_TOKEN/);
    expect(problemsOf({ MICROSOFT_APP_ID: 'id' }).join()).toMatch(/MICROSOFT_APP_PASSWORD/);
    expect(loadConfig({ HEALTHBOT_TEAMS_INSECURE_DEV: '1' }).teams?.insecureDev).toBe(true);
    expect(problemsOf({ MICROSOFT_APP_PASSWORD: 'secret' }).join()).toMatch(/MICROSOFT_APP_ID is required/);
    expect(loadConfig({}).teams).toBeUndefined();
  });

  it('redacts every secret', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://user:hunter2@db/healthbot',
      SLACK_BOT_TOKEN: 'xoxb-secret',
      SLACK_SIGNING_SECRET: 'signing-secret',
      MICROSOFT_APP_ID: 'app',
      MICROSOFT_APP_PASSWORD: 'teams-secret',
      HEALTHBOT_EXCHANGE: 'powershell',
      HEALTHBOT_EXCHANGE_ENDPOINTS: 'ex1=https://ex1.contoso.com/PowerShell/',
      HEALTHBOT_EXCHANGE_AUTH: 'Basic',
      HEALTHBOT_EXCHANGE_USERNAME: 'CONTOSO\\svc-healthbot',
      HEALTHBOT_EXCHANGE_PASSWORD: 'exchange-secret',
    });
    const text = JSON.stringify(redactConfig(c));
    for (const secret of ['hunter2', 'xoxb-secret', 'signing-secret', 'teams-secret', 'exchange-secret'])
      expect(text).not.toContain(secret);
    expect(text).toContain('svc-healthbot');
  });

  it('keeps the audit key beside the data directory by default, takes one from the environment, and never logs it', () => {
    const d = loadConfig({ HEALTHBOT_DATA_DIR: '/srv/hb/data' });
    expect(d.audit).toEqual({
      keyFile: '/srv/hb/data.audit-key',
      keyFileConfigured: false,
      anchorFile: '/srv/hb/data.audit-anchors',
      anchorMinutes: 60,
    });
    const secret = 'a'.repeat(40);
    const c = loadConfig({
      HEALTHBOT_AUDIT_KEY: secret,
      HEALTHBOT_AUDIT_KEY_FILE: '/etc/hb/audit.key',
      HEALTHBOT_AUDIT_ANCHOR_MINUTES: '0',
    });
    expect(c.audit).toMatchObject({
      key: secret,
      keyFile: '/etc/hb/audit.key',
      keyFileConfigured: true,
      anchorMinutes: 0,
    });
    expect(JSON.stringify(redactConfig(c))).not.toContain(secret);
    expect(problemsOf({ HEALTHBOT_AUDIT_KEY: 'short' })).toEqual([
      'HEALTHBOT_AUDIT_KEY must be 32 characters or more (for example 64 hex digits)',
    ]);
  });

  it('settles ten minutes after a restart against Exchange, seconds in the lab, and takes a setting within bounds', () => {
    const ps = {
      HEALTHBOT_EXCHANGE: 'powershell',
      HEALTHBOT_EXCHANGE_ENDPOINTS: 'ex1=http://ex1.contoso.com/PowerShell/',
    };
    expect(loadConfig(ps).rebootSettleSeconds).toBe(600);
    expect(loadConfig({}).rebootSettleSeconds).toBe(10);
    expect(loadConfig({ ...ps, HEALTHBOT_REBOOT_SETTLE_SECONDS: '300' }).rebootSettleSeconds).toBe(300);
    expect(problemsOf({ HEALTHBOT_REBOOT_SETTLE_SECONDS: 'soon' }).join('\n')).toMatch(
      /HEALTHBOT_REBOOT_SETTLE_SECONDS/,
    );
  });

  it('takes the restart limits on copy and replay queues from the environment, and lists every bad one at once', () => {
    expect(loadConfig({}).restartLimits).toEqual({ copyQueue: 10, replayQueue: 100 });
    expect(
      loadConfig({ HEALTHBOT_RESTART_MAX_COPY_QUEUE: '0', HEALTHBOT_RESTART_MAX_REPLAY_QUEUE: '500' }).restartLimits,
    ).toEqual({ copyQueue: 0, replayQueue: 500 });
    expect(
      problemsOf({
        HEALTHBOT_RESTART_MAX_COPY_QUEUE: '-1',
        HEALTHBOT_RESTART_MAX_REPLAY_QUEUE: 'lots',
        HEALTHBOT_REBOOT_SETTLE_SECONDS: 'soon',
      }),
    ).toEqual([
      'HEALTHBOT_REBOOT_SETTLE_SECONDS must be a whole number from 0 to 86400 (got "soon")',
      'HEALTHBOT_RESTART_MAX_COPY_QUEUE must be a whole number from 0 to 1000000 (got "-1")',
      'HEALTHBOT_RESTART_MAX_REPLAY_QUEUE must be a whole number from 0 to 1000000 (got "lots")',
    ]);
    expect(problemsOf({ HEALTHBOT_RESTART_MAX_COPY_QUEUE: '2.5' })).toEqual([
      'HEALTHBOT_RESTART_MAX_COPY_QUEUE must be a whole number from 0 to 1000000 (got "2.5")',
    ]);
  });

  it('reads the lab endpoints and validates both endpoint lists, listing every problem at once', () => {
    expect(loadConfig({}).exchange).not.toHaveProperty('endpoints');
    expect(loadConfig({ HEALTHBOT_LAB_ENDPOINTS: 'SERVER1, SERVER2' }).exchange).toMatchObject({
      kind: 'lab',
      endpoints: ['SERVER1', 'SERVER2'],
    });
    expect(problemsOf({ HEALTHBOT_LAB_ENDPOINTS: 'SERVER1,server1,bad name' })).toEqual([
      'HEALTHBOT_LAB_ENDPOINTS: "bad name" is not a server name',
      'HEALTHBOT_LAB_ENDPOINTS names server1 more than once',
    ]);
    const ps = { HEALTHBOT_EXCHANGE: 'powershell' };
    expect(
      problemsOf({
        ...ps,
        HEALTHBOT_EXCHANGE_ENDPOINTS:
          'ex1=http://ex1.contoso.com/PowerShell/,EX1=http://ex1b.contoso.com/PowerShell/,ex2=ftp://x',
      }),
    ).toEqual([
      'HEALTHBOT_EXCHANGE_ENDPOINTS: "ex2=ftp://x" is not server=http(s)://<fqdn>/PowerShell/',
      'HEALTHBOT_EXCHANGE_ENDPOINTS names EX1 more than once',
    ]);
  });
});
