/** Talks to the web chat over HTTP the way page.js does, for tests that drive a running bot. */
export interface WebMsg {
  id: string;
  thread: string;
  author: { name: string; bot: boolean };
  text?: string;
  html?: string;
  privateTo?: string;
}

export const jsonPost = (body: unknown, extra: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...extra },
  body: JSON.stringify(body),
});

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The id of the button whose label matches, from a card's HTML. */
export function actionId(html: string, label: RegExp): string {
  const m = [...html.matchAll(/data-action="([^"]+)"[^>]*>([^<]+)</g)].find((x) => label.test(x[2]!));
  if (!m) throw new Error(`no button ${label}`);
  return m[1]!;
}

export function webClient(url: string) {
  return {
    messages: async (persona: string, thread?: string): Promise<WebMsg[]> =>
      (await (
        await fetch(`${url}/chat/messages?persona=${persona}${thread ? `&thread=${encodeURIComponent(thread)}` : ''}`)
      ).json()) as WebMsg[],
    say: (persona: string, text: string) => fetch(`${url}/chat/messages`, jsonPost({ persona, text })),
    click: (persona: string, actionId: string, message: Pick<WebMsg, 'id' | 'thread'>) =>
      fetch(`${url}/chat/actions`, jsonPost({ persona, actionId, messageId: message.id, thread: message.thread })),
  };
}
