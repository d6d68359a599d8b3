/** `healthbot runbooks coverage`: the 69 documented health sets, and how each is answered. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

interface Coverage {
  version: string;
  counts: Record<string, number>;
  healthSets: {
    healthSet: string;
    status: string;
    runbook?: string;
    templates: string[];
    monitors: number;
    article: string;
    versions?: string[];
  }[];
}

/** The 24 articles with recovery content, the 3 verify-only and the 6 stubs (shared/notes §1.1). */
const WITH_CONTENT = [
  'ActiveSync',
  'Autodiscover',
  'Autodiscover.Protocol',
  'Autodiscover.Proxy',
  'DataProtection',
  'ECP',
  'ECP.Proxy',
  'EWS',
  'EWS.Protocol',
  'EWS.Proxy',
  'IMAP',
  'MRS',
  'OAB.Proxy',
  'Outlook.Proxy',
  'OWA',
  'OWA.Protocol',
  'OWA.Protocol.Dep',
  'OWA.Proxy',
  'POP',
  'RPS.Proxy',
  'SiteMailbox',
  'UM',
  'UM.CallRouter',
  'UM.Protocol',
  'FIPS',
  'HubTransport',
  'MailboxTransport',
  'ActiveSync.Protocol',
  'ActiveSync.Proxy',
  'IMAP.Protocol',
  'IMAP.Proxy',
  'POP.Protocol',
  'POP.Proxy',
];

describe('healthbot runbooks coverage', () => {
  it('--json lists all 69 documented sets, each with its article, and a runbook for the 33 with content or verify steps', async () => {
    const { code, out } = await cli('runbooks', 'coverage', '--json');
    expect(code).toBe(0);
    const c = JSON.parse(out) as Coverage;
    expect(c.version).toBe('2013');
    expect(c.healthSets).toHaveLength(69);
    expect(new Set(c.healthSets.map((h) => h.healthSet)).size).toBe(69);
    expect(WITH_CONTENT).toHaveLength(33);
    for (const name of WITH_CONTENT)
      expect(
        c.healthSets.find((h) => h.healthSet === name),
        name,
      ).toMatchObject({ status: 'runbook', runbook: expect.any(String) });
    expect(c.counts).toEqual({ runbook: 33, generic: 36, 'not-applicable': 0 });
    for (const h of c.healthSets) expect(h.article).toMatch(/^health-sets\/troubleshooting-[a-z0-9-]+-health-set\.md$/);
    expect(c.healthSets.find((h) => h.healthSet === 'OWA.Protocol.Dep')?.article).toBe(
      'health-sets/troubleshooting-owa-protocol-dep-health-set.md',
    );
    expect(c.healthSets.find((h) => h.healthSet === 'AD')).toMatchObject({
      status: 'generic',
      templates: [],
      monitors: 0,
    });
    expect(c.healthSets.find((h) => h.healthSet === 'OAB.Proxy')).toMatchObject({
      runbook: 'oab-proxy',
      templates: ['http-proxy'],
      monitors: 1,
    });
  });

  it('marks Unified Messaging as not on 2019 and Subscription Edition, and present on 2016', async () => {
    for (const [version, um] of [
      ['2019', 'not-applicable'],
      ['SE', 'not-applicable'],
      ['2016', 'runbook'],
    ] as const) {
      const c = JSON.parse((await cli('runbooks', 'coverage', '--json', '--version', version)).out) as Coverage;
      for (const name of ['UM', 'UM.CallRouter', 'UM.Protocol'])
        expect(
          c.healthSets.find((h) => h.healthSet === name),
          `${name} on ${version}`,
        ).toMatchObject({ status: um, runbook: 'um', versions: ['2013', '2016'] });
      expect(c.healthSets.find((h) => h.healthSet === 'OWA')?.status).toBe('runbook');
    }
  });

  it('prints the same as a table, and refuses a version it does not know', async () => {
    const { code, out } = await cli('runbooks', 'coverage', '--version', '2019');
    expect(code).toBe(0);
    expect(out).toMatch(/^Health set\s+Answered by\s+Runbook\s+Templates\s+Monitors\s+Article/);
    expect(out).toMatch(
      /\nUM\.CallRouter\s+not on this version\s+um\s+service-restart\s+1\s+health-sets\/troubleshooting-um-callrouter-health-set\.md/,
    );
    expect(out).toMatch(/\nAD\s+generic flow\s+-/);
    expect(out).toMatch(
      /Exchange 2019: 69 documented health sets; 30 with a runbook, 36 answered by the generic flow, 3 not on this version\./,
    );
    const bad = await cli('runbooks', 'coverage', '--version', '2010');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--version must be one of 2013, 2016, 2019, SE/);
  });
});
