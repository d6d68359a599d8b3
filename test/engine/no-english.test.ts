/**
 * A card rendered in German, French, Spanish or Japanese carries no English: the lab's scenarios
 * are walked in each language (diagnosis, evidence, approvals, failed and successful steps, an
 * override and its end, a restart waited out, the timeline of checks), and every card is searched
 * for words only the English texts use (english-words.ts). Outcomes of every kind the gateways
 * report are rendered in each language too, with their instants as the card's clock times.
 */
import { describe, expect, it } from 'vitest';
import type { ActionOutcome, AuditRecord, Card, Operation } from '../../src/core/index.ts';
import { GatewayError } from '../../src/core/index.ts';
import { outcomeText } from '../../src/core/engine/views/values.ts';
import { buildTimeline, timelineCard } from '../../src/core/engine/timeline.ts';
import { createTranslator } from '../../src/i18n/index.ts';
import { parseRebalance } from '../../src/exchange/powershell/parse-recovery.ts';
import { parseOutcome } from '../../src/exchange/powershell/parse.ts';
import { parseClusterNodeOutcome, parseOverrideOutcome } from '../../src/exchange/powershell/parse-serverstate.ts';
import { parseComponentOutcome } from '../../src/exchange/powershell/parse-state.ts';
import { englishOn, englishOnlyWords } from './english-words.ts';
import { localisedSampleCards } from './sample-cards.ts';
import type { Locale } from '../../src/core/index.ts';
import { alertIntakeOn, raisedAlert } from '../alerts/alert.ts';
import { SERVER1 } from '../exchange/powershell/server1.ts';
import type { Harness } from './harness.ts';
import { createHarness, interceptRun } from './harness.ts';
import { resolve } from 'node:path';

const LANGUAGES = ['de', 'fr', 'es', 'ja'] as const;

/** Every card anyone saw, and the timeline card of every incident as it is now. */
async function cardsOf(h: Harness, locale: string): Promise<Card[]> {
  const t = h.engine.context.t(locale);
  const timelines = await Promise.all(
    (await h.store.listIncidents(10)).map(async (incident) =>
      timelineCard(t, incident, await h.store.readAudit({ incidentId: incident.id }), 'UTC'),
    ),
  );
  return [...h.surface.messages.map((m) => m.card), ...timelines];
}

/** The primary step of the diagnosis card, approved by bob (and dave, when it needs two). */
async function takeNextStep(h: Harness): Promise<boolean> {
  const actions = h.lastCard('diagnosis')?.actions ?? [];
  const next = actions.find((a) => a.style !== 'default') ?? actions[0];
  if (!next) return false;
  const pending = (await h.store.listApprovals({ states: ['pending'] })).length;
  await h.click(next.id, h.people.alice);
  if ((await h.store.listApprovals({ states: ['pending'] })).length > pending) {
    for (const who of [h.people.bob, h.people.dave]) {
      const approve = h.lastCard('approval')?.actions.find((a) => a.style === 'primary');
      if (approve) await h.click(approve.id, who);
    }
  }
  await h.waitOutReboots();
  return true;
}

/** The escalation's timeline: every check the bot made, as a card. */
async function escalate(h: Harness): Promise<void> {
  const t = h.engine.context.t(h.people.alice.locale!);
  const button = h.lastCard('diagnosis')?.actions.find((a) => a.label === t('button.escalate'));
  if (button) await h.click(button.id, h.people.carol);
}

/** Asks, takes the next step and escalates: the walk most scenarios take. */
async function askStepEscalate(h: Harness, question: string): Promise<Harness> {
  await h.ask(question);
  await takeNextStep(h);
  await escalate(h);
  return h;
}

/** A gateway whose operations of these kinds fail with these errors; every other one runs. */
const failing = (errors: Partial<Record<Operation['kind'], GatewayError>>) =>
  interceptRun(async (op, next) => {
    const err = errors[op.kind];
    if (err) throw err;
    return next();
  });

const isUndoOfActivation = (op: Operation) => op.kind === 'set-database-activation' && op.mode === 'allow';

/** The scenarios walked in every language, each with what it brings to a card. */
const WALKS: { name: string; run: (lng: string) => Promise<Harness> }[] = [
  {
    // Evidence: Managed Availability's throttled restarts, probe history "12 of 14 failed", Windows events.
    name: 'ma-already-restarted, three steps and the timeline',
    run: async (locale) => {
      const h = await createHarness('ma-already-restarted', { locale });
      await h.ask('IMAP server1');
      for (let i = 0; i < 3 && (await takeNextStep(h)); i++);
      await escalate(h);
      return h;
    },
  },
  {
    // Leaving maintenance fails half-way: what ran, what was put back.
    name: 'maintenance-left-on, leaving maintenance fails',
    run: async (locale) => {
      const h = await createHarness('maintenance-left-on', {
        locale,
        wrapGateway: interceptRun(async (op, next) =>
          isUndoOfActivation(op) ? { ok: false, detail: 'Set-MailboxServer: the server is not reachable' } : next(),
        ),
      });
      return askStepEscalate(h, 'IMAP server2');
    },
  },
  {
    // A step whose outcome is unknown (a timeout), said as the gateway's error in the card's language.
    name: 'imap-backend-hang, a restart that times out',
    run: async (locale) => {
      const h = await createHarness('imap-backend-hang', {
        locale,
        wrapGateway: failing({ 'restart-service': new GatewayError('timeout', 'Restart-Service took too long') }),
      });
      return askStepEscalate(h, 'IMAP server1');
    },
  },
  {
    // Side reads that fail: each says why it was not read, in the card's language (and so does the timeline).
    name: 'imap-backend-hang, side reads refused or unreachable',
    run: async (locale) => {
      const h = await createHarness('imap-backend-hang', {
        locale,
        wrapGateway: failing({
          'get-recovery-actions': new GatewayError('permission-denied', 'Access is denied'),
          'get-windows-events': new GatewayError('unavailable', 'WinRM cannot complete the operation'),
          'get-probe-history': new GatewayError('bad-output', 'unexpected answer'),
          'get-server-state': new GatewayError('unavailable', 'WinRM cannot complete the operation'),
          'get-cluster-node': new GatewayError('not-allowed', 'not allowed'),
        }),
      });
      return askStepEscalate(h, 'IMAP server1');
    },
  },
  {
    // The override: its outcome names its end, and the end is checked when the timer fires.
    name: 'imap-disabled-noise, an override and its end',
    run: async (locale) => {
      const h = await createHarness('imap-disabled-noise', { locale });
      await h.ask('IMAP.Proxy server1');
      await takeNextStep(h);
      h.clock.advance(25 * 3_600_000);
      await h.engine.tick();
      await escalate(h);
      return h;
    },
  },
  {
    // Components drained and put back, a server restart waited out phase by phase.
    name: 'imap-unfixable, down to the restart',
    run: async (locale) => {
      const h = await createHarness('imap-unfixable', { locale });
      await h.ask('IMAP.Proxy server1');
      for (let i = 0; i < 8 && (await takeNextStep(h)); i++);
      await escalate(h);
      return h;
    },
  },
];

WALKS.push(
  {
    // An alert's card as it is raised, counted, cleared; one for a server nobody knows.
    name: 'alerts: raised, attached, cleared, unknown server',
    run: async (locale) => {
      const { h, intake } = await alertIntakeOn('imap-backend-hang', locale as Locale, { locale });
      await intake.accept([raisedAlert(), raisedAlert({ server: 'EXOLD7', healthSet: 'OWA' })]);
      await intake.drain();
      await intake.accept([raisedAlert({ at: '2026-11-24T14:03:00.000Z', source: 'scom' })]);
      await intake.drain();
      h.clock.advance(20 * 60_000);
      await intake.accept([raisedAlert({ state: 'cleared', at: '2026-11-24T14:20:00.000Z' })]);
      await intake.drain();
      return h;
    },
  },
  {
    // Ten problems on three servers at once: one storm card, the likeliest cause diagnosed first.
    name: 'alerts: a storm',
    run: async (locale) => {
      const { h, intake } = await alertIntakeOn('server1-many-failures', locale as Locale, { locale });
      const sets = ['IMAP', 'OWA', 'ECP', 'EWS.Protocol', 'ActiveSync', 'POP', 'Autodiscover', 'OWA.Proxy'];
      await intake.accept([
        ...sets.map((healthSet, i) =>
          raisedAlert({ healthSet, at: `2026-11-24T13:59:${String(10 + i).padStart(2, '0')}.000Z` }),
        ),
        raisedAlert({ server: 'SERVER2' }),
        raisedAlert({ server: 'EXOLD7', healthSet: 'OWA' }),
      ]);
      await intake.drain();
      return h;
    },
  },
);

/** More of the lab, walked a few steps each: generic flows, other health sets, organisation-wide faults. */
const SWEEP: [scenario: string, question: string][] = [
  ['freebusy-no-runbook', 'FreeBusy server1'],
  ['mailboxtransport-delivery', 'MailboxTransport MBX1'],
  ['override-hides-monitor', 'IMAP.Proxy server1'],
  ['organisation-wide-auth', 'IMAP server1'],
  ['ecp-component-inactive', 'ECP.Proxy server1'],
  ['dataprotection-repl-stopped', 'DataProtection server2'],
  ['exchange-2019-beside-2013', 'UM EX2019'],
  ['imap-slow-commands', 'IMAP server2'],
  ['reboot-blocked-by-lagging-copy', 'IMAP.Proxy server2'],
];

for (const [scenario, question] of SWEEP)
  WALKS.push({
    name: `${scenario}, a few steps`,
    run: async (locale) => {
      const h = await createHarness(scenario, { locale });
      await h.ask(question);
      for (let i = 0; i < 12 && (await takeNextStep(h)); i++);
      await escalate(h);
      return h;
    },
  });

describe('no English on a card in another language', () => {
  describe.each(LANGUAGES)('%s', (lng) => {
    const english = englishOnlyWords(lng);

    it('knows English-only words to look for, and finds them on an English card', async () => {
      // The check itself can fail: the same walk in English is full of the words it looks for.
      expect(english).toContain('failed');
      const h = await WALKS[0]!.run('en');
      const found = (await cardsOf(h, 'en')).flatMap((c) => englishOn(c, english));
      expect(found.length).toBeGreaterThan(20);
    });

    it('the sample cards every platform pins in its golden files', async () => {
      const cards = Object.entries(await localisedSampleCards(lng));
      expect(cards.every(([, card]) => card !== undefined)).toBe(true);
      expect(cards.flatMap(([name, card]) => englishOn(card!, english).map((word) => `${name}: ${word}`))).toEqual([]);
    });

    it.each(WALKS.map((w) => w.name))('%s', async (name) => {
      const h = await WALKS.find((w) => w.name === name)!.run(lng);
      const cards = await cardsOf(h, lng);
      expect(cards.map((c) => c.kind)).toEqual(expect.arrayContaining(['diagnosis', 'timeline']));
      const found = cards.flatMap((card) => englishOn(card, english).map((word) => `${card.kind}: ${word}`));
      expect([...new Set(found)].join('\n')).toBe('');
    });
  });
});

/** An hour's override of IMAP's ImapCTPMonitor on SERVER1. */
const IMAP_OVERRIDE: Extract<Operation, { kind: 'add-monitoring-override' }> = {
  kind: 'add-monitoring-override',
  server: 'SERVER1',
  healthSet: 'IMAP',
  item: 'ImapCTPMonitor',
  itemType: 'Monitor',
  durationMinutes: 60,
};

/** What the PowerShell gateway reports for steps that did not do what was asked, and for ones with an instant. */
const OUTCOMES: Record<string, () => ActionOutcome> = {
  'a component another requester holds': () =>
    parseComponentOutcome(
      {
        kind: 'set-server-component-state',
        server: 'SERVER1',
        component: 'ImapProxy',
        state: 'Active',
        requester: 'Functional',
      },
      [{ Component: 'ImapProxy', State: 'Inactive' }],
      SERVER1,
    ),
  'a cluster node still paused': () =>
    parseClusterNodeOutcome(
      { kind: 'set-cluster-node', server: 'SERVER1', action: 'resume' },
      [{ State: 'Paused' }],
      SERVER1,
    ),
  'an override that was not added': () =>
    parseOverrideOutcome(IMAP_OVERRIDE, [{ Identity: 'IMAP\\ImapCTPMonitor', Found: 0 }], SERVER1),
  'an override until a time': () =>
    parseOverrideOutcome(
      IMAP_OVERRIDE,
      [{ Identity: 'IMAP\\ImapCTPMonitor', Found: 1, ExpirationTime: '2026-11-24T15:00:00Z' }],
      SERVER1,
    ),
  'databases partly moved back': () =>
    parseRebalance(
      [
        { Database: 'DB02', ActiveServerAtStart: 'SERVER2', ActiveServerAtEnd: 'SERVER1', Status: 'Succeeded' },
        { Database: 'DB03', ActiveServerAtStart: 'MBX1', ActiveServerAtEnd: 'MBX1', Status: 'Failed' },
      ],
      SERVER1,
    ),
  'nothing to move back': () => parseRebalance([], SERVER1),
  'an application pool WAS had stopped': () =>
    parseOutcome(
      { kind: 'recycle-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' },
      [{ Name: 'MSExchangeECPAppPool', State: 'Started', Action: 'start', RapidFailAt: '2026-11-24T13:40:00Z' }],
      SERVER1,
    ),
};

describe('outcomes the PowerShell gateway reports, in every language', () => {
  const translator = createTranslator(resolve(import.meta.dirname, '../../locales'));
  const clock = { timeZone: 'Europe/Berlin', today: '2026-11-24T14:00:00Z' };

  it.each(Object.keys(OUTCOMES))('%s: a sentence of the language, its instant a clock time', (name) => {
    const outcome = OUTCOMES[name]!();
    expect(outcome.say, 'a code, not only the English detail').toBeDefined();
    for (const lng of LANGUAGES) {
      const text = outcomeText(translator.for(lng), outcome, { ...clock, locale: lng });
      const card: Card = {
        kind: 'approval',
        title: '',
        severity: 'info',
        facts: [],
        sections: [{ kind: 'text', text }],
        actions: [],
      };
      expect(englishOn(card, englishOnlyWords(lng)), `${lng}: ${text}`).toEqual([]);
      expect(text, lng).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      expect(text, lng).not.toMatch(/UTC|Europe\/Berlin/);
    }
  });

  it("writes an outcome's instant in the card's zone and language, with its date on another day", () => {
    const outcome = OUTCOMES['an application pool WAS had stopped']!();
    const de = translator.for('de');
    expect(outcomeText(de, outcome, { ...clock, locale: 'de' })).toContain('um 14:40 beendet');
    expect(outcomeText(de, outcome, { timeZone: 'UTC', locale: 'de', today: '2026-11-25T09:00:00Z' })).toContain(
      'um 24. Nov., 13:40 beendet',
    );
    // The Markdown export has no card clock: it keeps the instant as recorded.
    expect(outcomeText(de, outcome)).toContain('2026-11-24T13:40:00.000Z');
  });
});

describe('errors in the timeline, in every language', () => {
  const translator = createTranslator(resolve(import.meta.dirname, '../../locales'));
  const error = (where: string, code: string): AuditRecord => ({
    seq: 1,
    prevHash: '',
    hash: '',
    at: '2026-11-24T14:00:00Z',
    type: 'error',
    incidentId: 'i1',
    data: { where, code },
  });

  it.each(LANGUAGES)('%s: where it happened and what it was are words of the language', (lng) => {
    const records = [error('reboot', 'not-back'), error('check', 'unavailable'), error('diagnosis', 'timeout')];
    const lines = buildTimeline(translator.for(lng), records).map((l) => l.text);
    const card: Card = {
      kind: 'timeline',
      title: '',
      severity: 'info',
      facts: [],
      sections: [{ kind: 'list', items: lines }],
      actions: [],
    };
    expect(lines.join('\n')).not.toMatch(/not-back|unavailable|timeout|reboot|diagnosis/);
    expect(englishOn(card, englishOnlyWords(lng))).toEqual([]);
  });
});
