/**
 * Health sets come from the servers as well as from our files, and nothing is called healthy
 * that was not read: questions about sets without a runbook, sets only a newer version has, sets
 * a server does not have, names nobody knows, and pasted monitor names.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

const fact = (card: ReturnType<Awaited<ReturnType<typeof createHarness>>['lastCard']>, label: string) =>
  card?.facts.find((f) => f.label === label)?.value;

describe('what a card says it read', () => {
  it('"check OWA on server1" on a healthy lab names the OWA monitors it read, and how many', async () => {
    const h = await createHarness('healthy');
    await h.ask('check OWA on server1');
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('OWA on SERVER1: healthy');
    // The OWA runbook reads its family with it (OWA.Protocol, OWA.Proxy, ...); the asked set's monitors are named.
    expect(fact(card, 'Health sets')!.split(' · ')).toEqual(
      expect.arrayContaining(['OWA Healthy (1 monitor)', 'OWA.Proxy Healthy (1 monitor)']),
    );
    expect(fact(card, 'Monitors read')).toBe('OwaCtpMonitor');
    expect(fact(card, 'Read')).toMatch(/^5 health sets, 7 monitors$/);
  });

  it('"status server1" names the healthy sets instead of counting them', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask('status server1');
    const card = h.lastCard('diagnosis');
    const healthy = fact(card, 'Healthy')!.split(', ');
    expect(healthy).toEqual(expect.arrayContaining(['OWA', 'ActiveSync', 'AD', 'ECP.Proxy']));
    expect(healthy).not.toContain('IMAP');
    expect(fact(card, 'Health sets')).toMatch(/^IMAP Unhealthy/);
    expect(cardText(card)).not.toMatch(/more healthy/);
    expect(fact(card, 'Read')).toMatch(/^\d+ health sets, \d+ monitors$/);
  });

  it('the German card says the same', async () => {
    const h = await createHarness('healthy', { locale: 'de' });
    await h.ask('prüfe OWA auf server1');
    const card = h.lastCard('diagnosis');
    expect(fact(card, 'Gelesene Monitore')).toBe('OwaCtpMonitor');
    expect(fact(card, 'Gelesen')).toBe('5 Integritätsgruppen, 7 Monitore');
  });
});

describe('never green on nothing', () => {
  it('a set the server does not report, beside related sets that are healthy, gets a neutral card, not a green one', async () => {
    // ECP.Proxy runs on Client Access servers; MBX1 reports ECP (related) but no ECP.Proxy.
    const h = await createHarness('healthy');
    await h.ask('ECP.Proxy on mbx1');
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('ECP.Proxy on MBX1: no monitors reported');
    expect(card?.severity).toBe('info');
    expect(cardText(card)).toMatch(
      /No monitors of ECP\.Proxy reported on MBX1 \(Version 15\.0 \(Build 1497\.2\)\): is the set present on this version\?/,
    );
    expect(cardText(card)).not.toMatch(/Every monitor in scope reports Healthy/);
    // What was read is still said: the related set, with its monitors.
    expect(fact(card, 'Health sets')).toMatch(/ECP Healthy \(2 monitors\)/);
    expect(card?.actions.map((a) => a.label)).toEqual(['Rerun probe']);
  });

  it('UM on an Exchange 2019 server: no monitors, and which servers do report UM', async () => {
    const h = await createHarness('exchange-2019-beside-2013', { discover: true });
    await h.engine.context.discovery!.refresh();
    await h.ask('is UM ok on ex2019');
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('UM on EX2019: no monitors reported');
    expect(cardText(card)).toMatch(
      /No monitors of UM reported on EX2019 \(Version 15\.2 \(Build 1544\.4\)\): is the set present on this version\? It is reported by SERVER1, SERVER2\./,
    );
    const [incident] = await h.store.listIncidents(1);
    expect(incident).toMatchObject({ status: 'failed', absent: { healthSets: ['UM'] } });
  });

  it('a documented set no server of the organisation has says so', async () => {
    const h = await createHarness('healthy', { discover: true });
    await h.engine.context.discovery!.refresh();
    await h.ask('FfoQuarantine on server1');
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/and no server of the organisation reports this set/);
  });
});

describe('health sets the servers report', () => {
  it('a set only a newer version has is learnt from the server and diagnosed from its monitors, not refused', async () => {
    const h = await createHarness('exchange-2019-beside-2013', { discover: true });
    // Nothing read yet: the name is unknown to the catalogue, so the servers are asked once.
    await h.ask('is Calendaring ok on ex2019?');
    expect(h.gateway.ran.filter((op) => op.kind === 'get-monitoring-items').length).toBe(4);
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('Calendaring on EX2019: healthy');
    expect(fact(card, 'Monitors read')).toBe('CalendarSharingMonitor');
  });

  it("without the servers' reports the same name is not known, and nothing runs", async () => {
    const h = await createHarness('exchange-2019-beside-2013');
    await h.ask('is Calendaring ok on ex2019?');
    expect(cardText(h.lastCard('notice'))).toMatch(/I don't know a health set called "Calendaring"/);
    expect(h.gateway.ran).toEqual([]);
  });

  it("a pasted monitor name of a set without a runbook leads to its set through the server's monitoring items", async () => {
    const h = await createHarness('healthy', { discover: true });
    await h.ask('OwaCtpMonitor unhealthy on server1');
    expect(h.lastCard('diagnosis')?.title).toBe('OWA on SERVER1: healthy');
  });

  it('a name neither the runbooks nor any server know: "did you mean", never a card about something else', async () => {
    const h = await createHarness('exchange-2019-beside-2013', { discover: true });
    await h.engine.context.discovery!.refresh();
    const before = h.gateway.ran.length;
    await h.ask('check Calendaringg on ex2019');
    const notice = cardText(h.lastCard('notice'));
    expect(notice).toMatch(
      /no runbook describes it and no server of the organisation reports it\. Did you mean Calendaring\?/,
    );
    await h.ask('FooBarMonitor unhealthy on server1');
    expect(cardText(h.lastCard('notice'))).toMatch(/I don't know a health set called "FooBarMonitor"/);
    expect(h.lastCard('diagnosis')).toBeUndefined();
    expect(h.gateway.ran.length).toBe(before);
  });

  it('in German too', async () => {
    const h = await createHarness('exchange-2019-beside-2013', { discover: true });
    await h.engine.context.discovery!.refresh();
    await h.ask('prüfe Calendaringg auf ex2019');
    expect(cardText(h.lastCard('notice'))).toMatch(
      /kein Server der Organisation meldet sie\. Meintest du Calendaring\?/,
    );
  });
});

describe('the servers asked once when a card needs them', () => {
  it('a set not reported here, before anything was learnt: the servers are read once, and the card says who has it', async () => {
    const h = await createHarness('exchange-2019-beside-2013', { discover: true });
    await h.ask('is UM ok on ex2019');
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/It is reported by SERVER1, SERVER2\./);
    const reads = h.gateway.ran.filter((op) => op.kind === 'get-monitoring-items').length;
    await h.ask('is UM ok on ex2019');
    expect(h.gateway.ran.filter((op) => op.kind === 'get-monitoring-items').length).toBe(reads);
  });

  it('servers that cannot be read leave the plain question on the card, never "no server has it"', async () => {
    const h = await createHarness('exchange-2019-beside-2013', {
      discover: true,
      wrapGateway: interceptRun((op, next) =>
        op.kind === 'get-monitoring-items' && op.server === 'SERVER2'
          ? Promise.reject(new GatewayError('timeout', 'slow'))
          : next(),
      ),
    });
    await h.ask('FfoQuarantine on ex2019');
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toMatch(
      /No monitors of FfoQuarantine reported on EX2019 \(Version 15\.2 \(Build 1544\.4\)\): is the set present on this version\?/,
    );
    expect(text).not.toMatch(/no server of the organisation/);
  });
});
