import { afterEach, describe, expect, it } from 'vitest';
import type { WebServer } from './server.ts';
import { startWebChat } from './server.ts';
import type { WebMsg } from './client.ts';
import { actionId, jsonPost, until, webClient } from './client.ts';

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const json = jsonPost;
const messages = (persona: string): Promise<WebMsg[]> => webClient(server!.url).messages(persona);

describe('web chat over HTTP', () => {
  it('runs the two-person flow: ask, request, self-approval refused privately, second person approves, resolved', async () => {
    server = await startWebChat('imap-backend-hang');
    const asked = await fetch(
      `${server.url}/chat/messages`,
      json({ persona: 'alice', text: "what's wrong with IMAP on server1?" }),
    );
    expect(asked.status).toBe(202);
    const diagnosis = await until('diagnosis', async () =>
      (await messages('alice')).find((m) => m.html?.includes('problem confirmed')),
    );
    await fetch(
      `${server.url}/chat/actions`,
      json({
        persona: 'alice',
        actionId: actionId(diagnosis.html!, /Restart MSExchangeIMAP4BE on MBX1/),
        messageId: diagnosis.id,
      }),
    );
    const approval = await until('approval card', async () =>
      (await messages('alice')).find((m) => m.html?.includes('kind-approval')),
    );
    // The requester is not offered Approve; the id from bob's card, sent as alice, is refused all the same.
    expect(() => actionId(approval.html!, /^Approve$/)).toThrow(/no button/);
    expect(actionId(approval.html!, /^Withdraw/)).toBeTruthy();
    const approve = actionId((await messages('bob')).find((m) => m.id === approval.id)!.html!, /^Approve$/);
    await fetch(`${server.url}/chat/actions`, json({ persona: 'alice', actionId: approve, messageId: approval.id }));
    const refusal = await until('refusal', async () => (await messages('alice')).find((m) => m.privateTo === 'alice'));
    expect(refusal.html).toContain('your own request');
    expect((await messages('bob')).some((m) => m.privateTo)).toBe(false);
    await fetch(`${server.url}/chat/actions`, json({ persona: 'bob', actionId: approve, messageId: approval.id }));
    const resolved = await until('resolved', async () =>
      (await messages('bob')).find((m) => m.id === diagnosis.id && m.html?.includes('resolved')),
    );
    expect(resolved.html).toContain('Approved by Bob');
    expect(server.harness.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
    // One conversation on its own: the question, the diagnosis and the approval card, nobody's
    // notices; at the close, the audit trail's anchor.
    const thread = await webClient(server.url).messages('bob', diagnosis.thread);
    expect(thread.map((m) => m.id).slice(0, 3)).toEqual([diagnosis.thread, diagnosis.id, approval.id]);
    expect(thread).toHaveLength(4);
    expect(thread[3]!.html).toMatch(/healthbot audit verify --anchor \d+:[0-9a-f]{64}/);
  });

  it('pushes every update to every listening page over server-sent events', async () => {
    server = await startWebChat('imap-transient');
    const controller = new AbortController();
    const res = await fetch(`${server.url}/chat/events?persona=bob`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    await fetch(`${server.url}/chat/messages`, json({ persona: 'alice', text: 'imap on server1' }));
    let text = '';
    while (!text.includes('alert has recovered')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/event: message\ndata: \{.*"text":"imap on server1"/);
    controller.abort();
  });

  it('refuses what is not JSON, cross-origin posts and unknown personas, in the browser’s language', async () => {
    server = await startWebChat('healthy');
    expect(
      (
        await fetch(`${server.url}/chat/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'persona=alice&text=hi',
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await fetch(
          `${server.url}/chat/messages`,
          json({ persona: 'alice', text: 'hi' }, { origin: 'http://evil.example' }),
        )
      ).status,
    ).toBe(403);
    const unknown = await fetch(
      `${server.url}/chat/messages`,
      json({ persona: 'mallory', text: 'hi' }, { 'accept-language': 'de-DE,de;q=0.9' }),
    );
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toBe('Wähle zuerst eine Persona.');
    expect(
      (await fetch(`${server.url}/chat/actions`, json({ persona: 'alice', actionId: 'x', messageId: 'nope' }))).status,
    ).toBe(400);
    expect(server.harness.gateway.ran).toEqual([]);
  });

  it('a forged button id on a real card changes nothing and tells only the clicker', async () => {
    server = await startWebChat('imap-backend-hang');
    await fetch(`${server.url}/chat/messages`, json({ persona: 'alice', text: 'imap on server1' }));
    const diagnosis = await until('diagnosis', async () =>
      (await messages('alice')).find((m) => m.html?.includes('problem confirmed')),
    );
    await fetch(`${server.url}/chat/actions`, json({ persona: 'bob', actionId: 'forged-id', messageId: diagnosis.id }));
    await until('notice', async () => (await messages('bob')).find((m) => m.privateTo === 'bob'));
    expect((await messages('alice')).some((m) => m.privateTo)).toBe(false);
    expect(server.harness.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);
  });

  it('accepts a click on a card this process has not seen (a page open across a restart) only within the card’s own thread', async () => {
    server = await startWebChat('imap-backend-hang');
    await fetch(`${server.url}/chat/messages`, json({ persona: 'alice', text: 'imap on server1' }));
    const diagnosis = await until('diagnosis', async () =>
      (await messages('alice')).find((m) => m.html?.includes('problem confirmed')),
    );
    const restart = actionId(diagnosis.html!, /Restart MSExchangeIMAP4BE on MBX1/);
    const forgotten = { persona: 'alice', actionId: restart, messageId: 'b-gone-after-restart' };
    expect((await fetch(`${server.url}/chat/actions`, json({ ...forgotten, thread: '../../etc' }))).status).toBe(400);
    expect((await fetch(`${server.url}/chat/actions`, json({ ...forgotten, thread: 'u1otherthread' }))).status).toBe(
      202,
    );
    await until('refusal in the wrong thread', async () =>
      (await messages('alice')).find((m) => m.privateTo === 'alice'),
    );
    expect(await server.harness.store.listApprovals()).toHaveLength(0);
    expect((await fetch(`${server.url}/chat/actions`, json({ ...forgotten, thread: diagnosis.thread }))).status).toBe(
      202,
    );
    await until('approval card', async () => (await messages('alice')).find((m) => m.html?.includes('kind-approval')));
    expect(await server.harness.store.listApprovals({ states: ['pending'] })).toHaveLength(1);
  });

  it('with a token: nothing without it, the link with ?token= sets a cookie, a bearer header works', async () => {
    const token = 'a-long-shared-secret-123';
    server = await startWebChat('healthy', { token });
    expect((await fetch(`${server.url}/`)).status).toBe(401);
    expect((await fetch(`${server.url}/chat/messages?persona=alice`)).status).toBe(401);
    expect((await fetch(`${server.url}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    const link = await fetch(`${server.url}/?token=${token}`, { redirect: 'manual' });
    expect(link.status).toBe(303);
    const cookie = link.headers.get('set-cookie')!.split(';')[0]!;
    expect(link.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await fetch(`${server.url}/`, { headers: { cookie } })).status).toBe(200);
    expect(
      (await fetch(`${server.url}/chat/messages?persona=alice`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(200);
  });

  it('serves the page with a strict content security policy and no external assets', async () => {
    server = await startWebChat('healthy');
    const res = await fetch(`${server.url}/`, { headers: { 'accept-language': 'de' } });
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(html).toContain('<html lang="de">');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
