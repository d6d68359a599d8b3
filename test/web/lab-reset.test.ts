/**
 * The web chat's lab reset: a POST guarded like every other change (host, JSON, origin, persona),
 * audited, told to every window; absent altogether when the bot has no lab to reset.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebServer } from './server.ts';
import { startWebChat } from './server.ts';
import { jsonPost, until, webClient } from './client.ts';

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const reset = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server!.url}/chat/lab/reset`, jsonPost(body, headers));
/** fetch() will not send a Host of our choosing; node:http will, as a rebinding page's browser does. */
const rebound = (body: unknown): Promise<number> =>
  new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port: server!.port,
        path: '/chat/lab/reset',
        method: 'POST',
        headers: {
          host: `evil.example:${server!.port}`,
          origin: `http://evil.example:${server!.port}`,
          'content-type': 'application/json',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
const imapOnMbx1 = async () =>
  (await server!.harness.lab.run({ kind: 'get-server-health', server: 'MBX1', healthSets: ['IMAP.Protocol'] })).find(
    (m) => m.monitor === 'ImapDeepTestMonitor',
  )!.alertValue;
const resets = async () => (await server!.harness.store.readAudit()).filter((r) => r.data.command === 'lab-reset');

describe('web chat lab reset', () => {
  it('starts the scenario over, audits who did it, and tells every window', async () => {
    server = await startWebChat('imap-backend-hang', { lab: true });
    await server.harness.lab.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    expect(await imapOnMbx1()).toBe('Healthy');

    const res = await reset({ persona: 'alice', scenario: 'imap-backend-hang' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ scenario: 'imap-backend-hang' });
    expect(await imapOnMbx1()).toBe('Unhealthy');
    const records = await resets();
    expect(records).toHaveLength(1);
    expect(records[0]!.actor?.userId).toBe('alice');
    expect(records[0]!.data).toMatchObject({ scenario: 'imap-backend-hang', before: 'imap-backend-hang' });
    // Every persona's window gets the notice.
    const notice = await until('notice', async () =>
      (await webClient(server!.url).messages('carol')).find((m) => (m as { labReset?: unknown }).labReset),
    );
    expect(notice).toMatchObject({ labReset: { scenario: 'imap-backend-hang', by: 'Alice' } });
    // The page now names the scenario in its picker.
    const other = await reset({ persona: 'bob', scenario: 'healthy' });
    expect(other.status).toBe(200);
    const page = await (await fetch(server.url)).text();
    expect(page).toMatch(/<option value="healthy" title="[^"]*" selected>/);
    expect(page).toContain('id="lab-reset"');
  });

  it('refuses a cross-site post, a post that is not JSON, an unknown persona or scenario, and a rebinding host: nothing reset, nothing audited', async () => {
    server = await startWebChat('imap-backend-hang', { lab: true });
    await server.harness.lab.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    expect(
      (await reset({ persona: 'alice', scenario: 'imap-backend-hang' }, { origin: 'http://evil.example' })).status,
    ).toBe(403);
    expect((await reset({ persona: 'alice', scenario: 'imap-backend-hang' }, { origin: 'null' })).status).toBe(403);
    const form = await fetch(`${server.url}/chat/lab/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'persona=alice&scenario=imap-backend-hang',
    });
    expect(form.status).toBe(415);
    expect((await reset({ persona: 'mallory', scenario: 'imap-backend-hang' })).status).toBe(400);
    const unknown = await reset({ persona: 'alice', scenario: '../../etc/passwd' }, { 'accept-language': 'de' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toBe(
      'Ein Laborszenario mit diesem Namen gibt es nicht.',
    );
    expect(await rebound({ persona: 'alice', scenario: 'imap-backend-hang' })).toBe(421);
    expect(await imapOnMbx1()).toBe('Healthy');
    expect(await resets()).toHaveLength(0);
  });

  it('has no route, no picker and no button when the bot has no lab to reset', async () => {
    server = await startWebChat('imap-backend-hang');
    expect((await reset({ persona: 'alice', scenario: 'imap-backend-hang' })).status).toBe(404);
    const page = await (await fetch(server.url)).text();
    expect(page).not.toContain('id="lab-reset"');
    expect(page).not.toContain('id="scenario-pick"');
  });
});
