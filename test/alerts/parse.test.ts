/**
 * Every intake format, read from real-shaped fixtures, becomes the same Alert; what cannot be read
 * is refused with a reason a sender can act on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertVocabulary } from '../../src/core/alerts/index.ts';
import { parseAlertInput } from '../../src/core/alerts/index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const NOW = new Date('2026-11-30T03:30:00.000Z');
const VOCABULARY: AlertVocabulary = {
  servers: [
    { name: 'SERVER1', fqdn: 'server1.contoso.com' },
    { name: 'SERVER2', fqdn: 'server2.contoso.com' },
    { name: 'MBX1', fqdn: 'mbx1.contoso.com' },
  ],
  healthSets: ['IMAP', 'IMAP.Proxy', 'IMAP.Protocol', 'ECP', 'ECP.Proxy', 'OWA'],
};
const parse = (text: string) => parseAlertInput(text, VOCABULARY, NOW);

function one(name: string) {
  const result = parse(fixture(name));
  if (!result.ok) throw new Error(`${name}: ${result.reason}`);
  expect(result.alerts).toHaveLength(1);
  return result.alerts[0]!;
}

describe('alert parsers on real-shaped fixtures', () => {
  it.each([
    [
      'alertmanager-v4-firing.json',
      {
        server: 'SERVER1',
        healthSet: 'IMAP',
        monitor: 'ImapCTPMonitor',
        state: 'raised',
        source: 'alertmanager',
        at: '2026-11-30T03:12:07.000Z',
      },
    ],
    [
      'alertmanager-v4-resolved.json',
      {
        server: 'SERVER1',
        healthSet: 'IMAP',
        monitor: 'ImapCTPMonitor',
        state: 'cleared',
        source: 'alertmanager',
        at: '2026-11-30T03:20:41.000Z',
      },
    ],
    [
      'own-raised.json',
      { server: 'SERVER1', healthSet: 'IMAP', monitor: 'ImapCTPMonitor', state: 'raised', source: 'healthbot' },
    ],
    ['own-cleared.json', { server: 'SERVER1', healthSet: 'IMAP', state: 'cleared', source: 'healthbot' }],
    [
      'scom-command-channel.json',
      {
        server: 'SERVER1',
        healthSet: 'IMAP',
        monitor: 'ImapCTPMonitor',
        state: 'raised',
        source: 'scom',
        at: '2026-11-30T03:12:07.000Z',
      },
    ],
    [
      'scom-command-channel-closed.json',
      { server: 'SERVER1', healthSet: 'IMAP', state: 'cleared', source: 'scom', at: '2026-11-30T03:20:41.000Z' },
    ],
    [
      'event-4-raised.xml',
      {
        server: 'SERVER1',
        healthSet: 'IMAP',
        monitor: 'ImapCTPMonitor',
        state: 'raised',
        source: 'event-log',
        at: '2026-11-30T03:12:07.441Z',
      },
    ],
    [
      'event-1-cleared.xml',
      {
        server: 'SERVER1',
        healthSet: 'IMAP',
        monitor: 'ImapCTPMonitor',
        state: 'cleared',
        source: 'event-log',
        at: '2026-11-30T03:20:41.002Z',
      },
    ],
    [
      'email-en.txt',
      { server: 'SERVER2', healthSet: 'ECP.Proxy', monitor: 'ECPProxyTestMonitor', state: 'raised', source: 'text' },
    ],
    [
      'email-de.txt',
      { server: 'SERVER1', healthSet: 'IMAP', monitor: 'ImapCTPMonitor', state: 'raised', source: 'text' },
    ],
    ['email-de-cleared.txt', { server: 'SERVER1', healthSet: 'IMAP', state: 'cleared', source: 'text' }],
    [
      'email-en-unknown-server.txt',
      { server: 'EXOLD7', healthSet: 'OWA', monitor: 'OwaCtpMonitor', state: 'raised', source: 'text' },
    ],
  ])('%s', (name, expected) => {
    const alert = one(name);
    expect(alert).toMatchObject(expected);
    expect(alert.text.length).toBeGreaterThan(0);
    if (!('monitor' in expected)) expect(alert.monitor).toBeUndefined();
  });

  it('keeps the original text as it came, markup included, for the timeline to escape', () => {
    expect(one('event-4-raised.xml').text).toContain('<b>Attempted recovery</b>');
    expect(one('email-en-unknown-server.txt').text).toContain('<script>alert(1)</script>');
  });

  it('gives a redelivery the same delivery id, and a clear a different one', () => {
    const firing = one('alertmanager-v4-firing.json');
    expect(one('alertmanager-v4-firing.json').deliveryId).toBe(firing.deliveryId);
    expect(one('alertmanager-v4-resolved.json').deliveryId).not.toBe(firing.deliveryId);
    expect(one('scom-command-channel.json').deliveryId).not.toBe(one('scom-command-channel-closed.json').deliveryId);
  });

  it('reads every alert of an Alertmanager group and a list in our own shape', () => {
    const group = JSON.parse(fixture('alertmanager-v4-firing.json')) as { alerts: Record<string, unknown>[] };
    group.alerts.push({
      ...group.alerts[0],
      labels: { health_set: 'OWA', instance: 'server2.contoso.com:9182' },
      fingerprint: 'b2',
    });
    const result = parse(JSON.stringify(group));
    expect(result.ok && result.alerts.map((a) => `${a.server}/${a.healthSet}`)).toEqual([
      'SERVER1/IMAP',
      'SERVER2/OWA',
    ]);
    const list = parse(
      JSON.stringify([
        { server: 'server1', healthSet: 'IMAP', state: 'raised' },
        { server: 'SERVER2', healthSet: 'OWA', state: 'cleared' },
      ]),
    );
    expect(list.ok && list.alerts.map((a) => a.state)).toEqual(['raised', 'cleared']);
  });

  it('does not take IMAP out of IMAP.Proxy, nor SERVER1 out of SERVER10', () => {
    const result = parse('Alert: IMAP.Proxy health set unhealthy on SERVER10 and SERVER1');
    expect(result.ok && result.alerts[0]).toMatchObject({ healthSet: 'IMAP.Proxy', server: 'SERVER1' });
  });

  it.each([
    ['', 'empty'],
    ['{"server": "SERVER1"', 'not valid JSON'],
    ['{"server": "SERVER1", "state": "raised"}', 'healthSet is missing'],
    ['{"server": "SERVER1", "healthSet": "IMAP", "state": "broken"}', 'state must be'],
    ['{"server": "SERVER1", "healthSet": "IMAP", "state": "raised", "text": 5}', 'text must be a string'],
    ['{"version": "3", "alerts": []}', 'version 3 is not supported'],
    [
      '{"version": "4", "status": "firing", "alerts": [{"status": "firing", "labels": {"instance": "server1"}}]}',
      'no health_set label',
    ],
    ['{"AlertName": "Something odd", "NetbiosComputerName": "SERVER1"}', 'names no health set'],
    ['{"hello": "world"}', 'unknown JSON shape'],
    ['[]', 'empty list'],
    [
      '<Events><Event><System><EventID>7</EventID><Channel>Application</Channel><Computer>SERVER1</Computer></System></Event></Events>',
      'no Managed Availability event 4 or 1',
    ],
    ['<html><body>hi</body></html>', 'not an exported event'],
    ['the weather is fine today', 'no health set and no server'],
    ['IMAP is broken somewhere', 'no server found'],
  ])('refuses %j with a reason', (input, reason) => {
    const result = parse(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});
