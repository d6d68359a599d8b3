/** The web chat's in-memory channel: what a persona is shown, and what it costs to show it. */
import { describe, expect, it } from 'vitest';
import { Hub } from '../../adapters/web/hub.ts';
import type { HubMessage, WebMessage } from '../../adapters/web/hub.ts';

function countingHub() {
  const drawn: string[] = [];
  const hub = new Hub((m: HubMessage, persona: string): WebMessage => {
    drawn.push(m.id);
    return { ...m, html: `<p>${m.id} for ${persona}</p>` };
  });
  const message = (id: string, thread: string, privateTo?: string): HubMessage => ({
    id,
    thread,
    author: { id: 'healthbot', name: 'Healthbot', bot: true },
    at: '2026-11-30T14:00:00Z',
    version: 1,
    ...(privateTo ? { privateTo } : {}),
  });
  return { hub, drawn, message };
}

describe('web chat hub', () => {
  it("draws only the asked thread's messages, however long the history", () => {
    const { hub, drawn, message } = countingHub();
    for (let t = 0; t < 300; t++) for (let m = 0; m < 3; m++) hub.put(message(`m${t}-${m}`, `t${t}`));
    drawn.length = 0;
    const shown = hub.visibleTo('alice', 't42');
    expect(shown.map((m) => m.id)).toEqual(['m42-0', 'm42-1', 'm42-2']);
    expect(drawn).toEqual(['m42-0', 'm42-1', 'm42-2']);
  });

  it('keeps private notices to their person, with or without a thread', () => {
    const { hub, message } = countingHub();
    hub.put(message('a', 't1'));
    hub.put(message('b', 't1', 'bob'));
    hub.put(message('c', 't2', 'alice'));
    expect(hub.visibleTo('alice').map((m) => m.id)).toEqual(['a', 'c']);
    expect(hub.visibleTo('alice', 't1').map((m) => m.id)).toEqual(['a']);
    expect(hub.visibleTo('bob', 't1').map((m) => m.id)).toEqual(['a', 'b']);
    expect(hub.visibleTo('bob', 'no-such-thread')).toEqual([]);
  });
});
