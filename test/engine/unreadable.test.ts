/**
 * An unreadable server never reads as healthy (issue 18, fault 9). The lab answers as usual; a
 * wrapper makes one server's Get-ServerHealth fail the way real Exchange does (WinRM down, access
 * denied, a timeout, a server the inventory refuses) or answer with no monitor at all.
 */
import { describe, expect, it } from 'vitest';
import type { ExchangeGateway, Operation, Store } from '../../src/core/index.ts';
import { GatewayError, StoreError } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import type { GatewayErrorCode } from '../../src/core/errors.ts';
import { checkSections } from '../../src/core/engine/check-result.ts';
import { timelineMarkdown } from '../../src/core/engine/index.ts';
import { createTranslator } from '../../src/i18n/index.ts';
import { join } from 'node:path';
import { cardText, createHarness } from './harness.ts';

/** Get-ServerHealth on `server` fails with `code`, answers an empty list ('empty') or one Healthy monitor ('healthy'). */
function healthOf(server: string, code: GatewayErrorCode | 'empty' | 'healthy') {
  return (lab: ExchangeGateway): ExchangeGateway => ({
    ...lab,
    run: ((op: Operation, options?: Parameters<ExchangeGateway['run']>[1]) => {
      if (op.kind === 'get-server-health' && op.server === server) {
        if (code === 'healthy')
          return Promise.resolve([
            { server, healthSet: 'IMAP.Protocol', monitor: 'ImapDeepTestMonitor', alertValue: 'Healthy' },
          ]);
        return code === 'empty'
          ? Promise.resolve([])
          : Promise.reject(new GatewayError(code, `Get-ServerHealth on ${server} failed (${code})`, { server }));
      }
      return lab.run(op as never, options);
    }) as ExchangeGateway['run'],
  });
}

const reasons: [GatewayErrorCode, RegExp][] = [
  ['unavailable', /Exchange or WinRM could not be reached/],
  ['permission-denied', /access denied for the bot's account/],
  ['timeout', /no answer in time/],
  ['unknown-server', /the inventory does not know this server/],
];

describe('a back end that cannot be read', () => {
  for (const [code, reason] of reasons) {
    it(`is reported as unreadable with the reason when Get-ServerHealth fails (${code}), never as healthy`, async () => {
      const h = await createHarness('imap-backend-hang', { wrapGateway: healthOf('MBX1', code) });
      await h.ask("what's wrong with IMAP on server1?");
      const card = h.lastCard('diagnosis');
      const text = cardText(card);
      expect(card?.title).toBe('IMAP on SERVER1: problem confirmed');
      expect(text).not.toMatch(/reports healthy/);
      expect(card?.facts.find((f) => f.label === 'Back end')?.value).toMatch(
        new RegExp(`^MBX1 could not be read \\(${reason.source}\\): its health is unknown`),
      );
      // The audit trail says so too.
      const diagnosis = (await h.store.readAudit()).find((r) => r.type === 'diagnosis');
      expect(diagnosis?.data.findings).toEqual([
        expect.objectContaining({ monitor: 'ImapCTPMonitor', backend: 'MBX1', backendUnreadable: code }),
      ]);
    });
  }

  it('says so in German', async () => {
    const h = await createHarness('imap-backend-hang', { wrapGateway: healthOf('MBX1', 'unavailable') });
    await h.ask('was ist mit IMAP auf server1 los?');
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toMatch(/MBX1 konnte nicht gelesen werden \(Exchange oder WinRM war nicht erreichbar\)/);
    expect(text).not.toMatch(/meldet gesund/);
  });

  it('is unreadable, not healthy, when it answers with no monitor of the sets asked for', async () => {
    const h = await createHarness('imap-backend-hang', { wrapGateway: healthOf('MBX1', 'empty') });
    await h.ask("what's wrong with IMAP on server1?");
    const backend = h.lastCard('diagnosis')?.facts.find((f) => f.label === 'Back end')?.value;
    expect(backend).toBe(
      'MBX1 could not be read (Get-ServerHealth returned no monitor): its health is unknown, not healthy',
    );
  });

  it('still reads as healthy when it was read and is healthy', async () => {
    const h = await createHarness('imap-backend-hang', { wrapGateway: healthOf('MBX1', 'healthy') });
    await h.ask('imap on server1');
    expect(h.lastCard('diagnosis')?.facts.find((f) => f.label === 'Back end')?.value).toBe('MBX1 reports healthy');
  });
});

describe('a question that reads no monitor at all', () => {
  it('is not a green "healthy" card: it says nothing was read', async () => {
    const h = await createHarness('healthy', { wrapGateway: healthOf('SERVER1', 'empty') });
    await h.ask('is ECP ok on server1');
    const card = h.lastCard('diagnosis');
    expect(card?.severity).not.toBe('ok');
    // Neutral: the set may simply not exist on this server's version (issue 13, item 5).
    expect(card?.title).toBe('ECP.Proxy on SERVER1: no monitors reported');
    expect(card?.severity).toBe('info');
    const text = cardText(card);
    expect(text).not.toMatch(/Every monitor in scope reports Healthy/);
    expect(text).toMatch(
      /No monitors of ECP\.Proxy reported on SERVER1 \(Version 15\.0 \(Build 1497\.2\)\): is the set present on this version\?/,
    );
    const diagnosis = (await h.store.readAudit()).find((r) => r.type === 'diagnosis');
    expect(diagnosis?.data).toMatchObject({ status: 'failed', monitorsRead: 0 });
    const incident = (await h.store.listIncidents(1))[0]!;
    const timeline = timelineMarkdown(
      createTranslator(join(import.meta.dirname, '../../locales')).for('en'),
      incident,
      await h.store.readAudit(),
    );
    expect(timeline).toContain('Diagnosis on SERVER1: could not be checked, no monitor could be read');
    expect(timeline).not.toMatch(/no monitor fails/);
  });

  it('says the same about a whole server, in German too', async () => {
    const h = await createHarness('healthy', { wrapGateway: healthOf('SERVER1', 'empty') });
    await h.ask('status server1');
    expect(h.lastCard('diagnosis')?.severity).toBe('warning');
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/returned no monitor at all: nothing was read/);
    const de = await createHarness('healthy', { wrapGateway: healthOf('SERVER1', 'empty') });
    await de.ask('was ist mit server1 los?');
    expect(de.lastCard('diagnosis')?.severity).toBe('warning');
    expect(cardText(de.lastCard('diagnosis'))).toMatch(/lieferte gar keinen Monitor: nichts wurde gelesen/);
  });

  it('is still healthy when monitors were read and all are Healthy', async () => {
    const h = await createHarness('healthy');
    await h.ask('is ECP ok on server1');
    const card = h.lastCard('diagnosis');
    expect(card?.severity).toBe('ok');
    expect(cardText(card)).toMatch(/Every monitor in scope reports Healthy/);
  });
});

describe('a read-only Get-ServerHealth check that returns nothing', () => {
  it('says nothing was read instead of "all 0 monitors are healthy"', () => {
    const t = createTranslator(join(import.meta.dirname, '../../locales')).for('en');
    const sections = checkSections(
      t,
      { kind: 'get-server-health', server: 'MBX1', healthSets: ['IMAP.Protocol'] },
      [],
      'en',
    );
    expect(sections).toEqual([
      { kind: 'text', text: 'Get-ServerHealth on MBX1 returned no monitor: nothing was read.' },
    ]);
  });
});

describe('the re-check after a wait step', () => {
  it('does not call the monitor "still healthy" or the incident resolved when the server cannot be read', async () => {
    let broken = false;
    const h = await createHarness('imap-slow-commands', {
      wrapGateway: (lab) => {
        const failing = healthOf('SERVER2', 'unavailable')(lab);
        return {
          ...lab,
          run: ((op: Operation, o?: Parameters<ExchangeGateway['run']>[1]) =>
            broken ? failing.run(op as never, o) : lab.run(op as never, o)) as ExchangeGateway['run'],
        };
      },
    });
    await h.ask('imap on server2');
    for (let i = 0; i < 2; i++) {
      await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
      await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    }
    await h.click(h.button(h.lastCard('diagnosis'), /10 min/), h.people.alice);
    broken = true;
    h.clock.advance(10 * 60_000);
    expect(await h.engine.tick()).toBe(1);
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('IMAP on SERVER2: could not be checked');
    expect(cardText(card)).not.toMatch(/still healthy/);
    expect(cardText(card)).toMatch(/Exchange could not be reached for SERVER2/);
    const incidents = await h.store.listIncidents(1);
    expect(incidents[0]?.status).toBe('failed');
  });
});

describe('an error record that cannot be written', () => {
  it('is reported as an error, not dropped, and the person is still told', async () => {
    const errors: string[] = [];
    const memory = createMemoryStore();
    const store: Store = {
      ...memory,
      appendAudit: () => Promise.reject(new StoreError('unavailable', 'audit table gone')),
    };
    const h = await createHarness('healthy', {
      store,
      overrides: { observer: { error: (where) => errors.push(where) } },
    });
    await h.ask('is ECP ok on server1');
    expect(errors).toContain('audit');
    expect(h.privateTo('alice')).toHaveLength(1);
  });
});
