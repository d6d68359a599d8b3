/**
 * Issue 14.6: every card names the server's version and build; a server out of support carries a
 * badge (by the injected clock); a runbook whose source article is for another version says so.
 */
import { describe, expect, it } from 'vitest';
import { articleVersion, parseVersion, serverVersion } from '../../src/core/engine/versions.ts';
import { cardText, createHarness } from './harness.ts';

describe('versions and support', () => {
  it('tells the products apart by build, 2019 and SE included', () => {
    expect(parseVersion('Version 15.0 (Build 1497.2)')).toEqual({ product: '2013', build: '15.0.1497.2' });
    expect(parseVersion('Version 15.1 (Build 2507.6)')).toEqual({ product: '2016', build: '15.1.2507.6' });
    expect(parseVersion('Version 15.2 (Build 1544.4)')).toEqual({ product: '2019', build: '15.2.1544.4' });
    expect(parseVersion('Version 15.2 (Build 2562.17)')).toEqual({ product: 'SE', build: '15.2.2562.17' });
    expect(parseVersion('15.2.2562.17')).toEqual({ product: 'SE', build: '15.2.2562.17' });
    expect(parseVersion('Version 14.3 (Build 123.4)')).toEqual({ build: '14.3.123.4' });
    expect(parseVersion('something else')).toEqual({ build: 'something else' });
    expect(parseVersion(undefined)).toEqual({});
  });

  it('badges a product from the day after its support ended, by the clock it is given', () => {
    const v2019 = 'Version 15.2 (Build 1544.4)';
    expect(serverVersion(v2019, new Date('2025-10-14T23:59:00Z')).outOfSupportSince).toBeUndefined();
    expect(serverVersion(v2019, new Date('2025-10-15T00:00:00Z')).outOfSupportSince).toBe('2025-10-14');
    expect(serverVersion('Version 15.1 (Build 2507.6)', new Date('2025-10-15T00:00:00Z')).outOfSupportSince).toBe(
      '2025-10-14',
    );
    expect(
      serverVersion('Version 15.0 (Build 1497.2)', new Date('2023-04-11T12:00:00Z')).outOfSupportSince,
    ).toBeUndefined();
    expect(serverVersion('Version 15.0 (Build 1497.2)', new Date('2023-04-12T00:00:00Z')).outOfSupportSince).toBe(
      '2023-04-11',
    );
    expect(
      serverVersion('Version 15.2 (Build 2562.17)', new Date('2030-01-01T00:00:00Z')).outOfSupportSince,
    ).toBeUndefined();
  });

  it('knows which product a reference article was written for', () => {
    expect(articleVersion('health-sets/troubleshooting-imap-health-set.md')).toEqual(['2013']);
    expect(articleVersion('overview-exchange-2016-2019/managed-availability.md')).toEqual(['2016', '2019']);
  });

  it("mixed-versions: each card names its server's version and build, with the badge where support ended", async () => {
    const h = await createHarness('mixed-versions');
    const serverFact = async (question: string) => {
      await h.ask(question);
      return h.lastCard('diagnosis')!.facts[0];
    };
    expect(await serverFact('imap on mbx1')).toEqual({
      label: 'Server',
      value: 'MBX1: Exchange Subscription Edition, build 15.2.2562.17',
    });
    expect(cardText(h.lastCard('diagnosis'))).toContain(
      'The runbook follows an article written for Exchange 2013; this server runs Exchange Subscription Edition, so check each step against it.',
    );
    expect(await serverFact('imap on server1')).toEqual({
      label: 'Server',
      value: 'SERVER1: Exchange 2016, build 15.1.2507.6 · ⚠ out of support since Oct 14, 2025',
    });
    expect(await serverFact('imap on server2')).toEqual({
      label: 'Server',
      value: 'SERVER2: Exchange 2019, build 15.2.1544.4 · ⚠ out of support since Oct 14, 2025',
    });
    // A healthy card names the version too.
    expect(h.lastCard('diagnosis')!.title).toBe('IMAP on SERVER2: healthy');
  });

  it('a 2013 server with a 2013 article: no note about the article', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask('imap on server1');
    expect(cardText(h.lastCard('diagnosis'))).not.toContain('The runbook follows an article');
  });

  it('German cards name the version too', async () => {
    const h = await createHarness('mixed-versions', { locale: 'de' });
    await h.ask('imap auf server1');
    expect(h.lastCard('diagnosis')!.facts[0]).toEqual({
      label: 'Server',
      value: 'SERVER1: Exchange 2016, Build 15.1.2507.6 · ⚠ ohne Support seit 14. Okt. 2025',
    });
  });
});
