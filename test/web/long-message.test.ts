/** A message over the limit is refused in the person's language, never cut short and never worded as HTTP. */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TEXT } from '../../adapters/web/index.ts';
import { jsonPost } from './client.ts';
import type { WebServer } from './server.ts';
import { startWebChat } from './server.ts';

let s: WebServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('web chat: an over-long message', () => {
  it('is refused with a localised sentence naming the limit, and nothing is posted or handed on', async () => {
    s = await startWebChat('healthy');
    const long = `help ${'x'.repeat(MAX_TEXT)}`;
    const de = await fetch(`${s.url}/chat/messages`, jsonPost({ persona: 'alice', text: long, lang: 'de' }));
    expect(de.status).toBe(413);
    expect(await de.json()).toEqual({
      error: 'too-long',
      message: `Diese Nachricht ist zu lang: höchstens ${MAX_TEXT} Zeichen. Kürze sie und schick sie noch einmal.`,
    });
    const en = await fetch(`${s.url}/chat/messages`, jsonPost({ persona: 'alice', text: long }));
    expect(((await en.json()) as { message: string }).message).toMatch(
      new RegExp(`too long: the limit is ${MAX_TEXT} characters`),
    );
    const shown = (await (await fetch(`${s.url}/chat/messages?persona=alice`)).json()) as unknown[];
    expect(shown).toEqual([]);
  });

  it('takes a message of exactly the limit whole', async () => {
    s = await startWebChat('healthy');
    const text = `help ${'y'.repeat(MAX_TEXT - 5)}`;
    const res = await fetch(`${s.url}/chat/messages`, jsonPost({ persona: 'alice', text }));
    expect(res.status).toBe(202);
    const shown = (await (await fetch(`${s.url}/chat/messages?persona=alice`)).json()) as { text?: string }[];
    expect(shown.find((m) => m.text)?.text).toBe(text);
  });
});
