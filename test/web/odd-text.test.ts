/**
 * NUL characters and lone surrogates from chat, end to end through a real store (the embedded
 * PGlite, and PostgreSQL when TEST_DATABASE_URL is set). PostgreSQL refuses both, so before the
 * boundary cleaned them a question carrying one failed in the store, and the person was told
 * "Exchange could not be reached". Now they are stripped (NUL) or replaced (U+FFFD) in every field
 * of the event (text, display name, ids, the Teams conversation's place), and the question is
 * answered like any other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.ts';
import { openStore } from '../../src/store/index.ts';
import { missingPrerequisite, testDatabaseUrl } from '../support/prerequisites.ts';
import { fixture, startTeams, THREAD } from '../teams/server.ts';
import type { TeamsServer } from '../teams/server.ts';
import { textOf, titleOf } from '../teams/fake-teams.ts';
import { until, webClient } from './client.ts';
import type { WebServer } from './server.ts';
import { startWebChat } from './server.ts';
import { CONTRACT_AUDIT_KEY } from '../store/contract.ts';

/** NUL or a lone surrogate, raw or as JSON.stringify writes them (`\\u0000`, `\\udca9`; pairs it leaves whole). */
const ODD =
  // eslint-disable-next-line no-control-regex
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\\u0000|\\ud[89a-f][0-9a-f]{2}/i;
const LONE_HIGH = '\ud83d';
const LONE_LOW = '\udca9';

let teams: TeamsServer | undefined;
let web: WebServer | undefined;
afterEach(async () => {
  await teams?.close();
  await web?.close();
  teams = undefined;
  web = undefined;
});

function oddTextThroughTheStore(name: string, open: () => Promise<Store>): void {
  describe(`odd text through ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    }, 180_000);
    afterAll(async () => {
      await store?.close();
    });

    it(
      'a Teams question with NUL and lone surrogates in the text, the display name, the ids and the tenant is answered, not failed',
      { timeout: 120_000 },
      async () => {
        const shared = { ...store, close: async () => {} };
        teams = await startTeams({ store: shared });
        const base = fixture('message-channel-mention');
        const conversation = base.conversation as Record<string, unknown>;
        const res = await teams.post({
          ...base,
          id: `odd\u0000-${LONE_HIGH}-${name.length}`,
          text: `<at>Healthbot</at> what\u0000s wrong with IMAP on server1? ${LONE_LOW}`,
          from: {
            id: '29:1mAlLoRy\u0000',
            name: `Mal\u0000lory ${LONE_HIGH}Evil`,
            aadObjectId: `ma11\u0000${LONE_LOW}`,
          },
          conversation: { ...conversation, tenantId: `7e57e000\u0000${LONE_HIGH}` },
        });
        expect(res.status).toBe(200);
        await teams.settle();
        const titles = teams.fake
          .sends(THREAD)
          .map((m) =>
            titleOf((m.body as { attachments: { content: Record<string, unknown> }[] }).attachments[0]!.content),
          );
        expect(titles.join('\n')).not.toMatch(/could not be reached|went wrong/i);
        const [diagnosis] = teams.fake.find(/IMAP on SERVER1: problem confirmed/, THREAD);
        expect(diagnosis).toBeDefined();
        expect(textOf(teams.fake.card(diagnosis!))).toMatch(/Mallory \ufffdEvil/);
        const audit = await store.readAudit();
        const asked = audit.filter((r) => r.actor?.displayName?.startsWith('Mallory'));
        expect(asked.length).toBeGreaterThan(0);
        expect(JSON.stringify(asked)).not.toMatch(ODD);
        expect(asked[0]!.actor!.displayName).toBe('Mallory \ufffdEvil');
        const place = (await store.getValue(`teams:conversation:${String(conversation.id).split(';')[0]}`)) as {
          tenantId?: string;
        };
        expect(place.tenantId).toBe('7e57e000\ufffd');
      },
    );

    it(
      'a web chat question with NUL and lone surrogates is answered, and shown cleaned',
      { timeout: 120_000 },
      async () => {
        web = await startWebChat('imap-backend-hang', { store: { ...store, close: async () => {} } });
        const client = webClient(web.url);
        expect((await client.say('alice', `imap\u0000 on server1 ${LONE_HIGH}${LONE_LOW.repeat(2)}`)).status).toBe(202);
        const card = await until(
          'diagnosis',
          async () => (await client.messages('alice')).find((m) => m.html?.includes('problem confirmed')),
          60_000,
        );
        const all = await client.messages('alice');
        expect(all.map((m) => m.html ?? '').join('')).not.toMatch(/could not be reached|went wrong/i);
        expect(card.html).not.toMatch(ODD);
        // The person's own message on the page is the cleaned text too: the surrogate pair stays whole.
        expect(all.find((m) => !m.author.bot)?.text).toBe(`imap on server1 ${LONE_HIGH}${LONE_LOW}\ufffd`);
        expect(JSON.stringify(await store.readAudit())).not.toMatch(ODD);
      },
    );
  });
}

const pgliteDir = mkdtempSync(join(tmpdir(), 'hb-odd-text-'));
afterAll(() => rmSync(pgliteDir, { recursive: true, force: true }));
oddTextThroughTheStore('the embedded database (PGlite)', () =>
  openStore({ dataDir: pgliteDir, auditKey: CONTRACT_AUDIT_KEY }),
);

const url = testDatabaseUrl();
if (url) {
  oddTextThroughTheStore('PostgreSQL', () =>
    openStore({
      databaseUrl: url,
      dataDir: '',
      schema: `hb_odd_${process.pid}_${Date.now().toString(36)}`,
      auditKey: CONTRACT_AUDIT_KEY,
    }),
  );
} else {
  describe('odd text through PostgreSQL', () => missingPrerequisite('TEST_DATABASE_URL is not set'));
}
