import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalogue } from '../../src/core/engine/index.ts';
import { createDiscovery } from '../../src/core/engine/discovered-sets.ts';
import { vocabularyOf } from '../../src/core/engine/vocabulary.ts';
import type { Vocabulary } from '../../src/core/intent/index.ts';
import { editDistance } from '../../src/core/intent/index.ts';
import type { ParseOptions, QuestionParser } from '../../src/core/intent/index.ts';
import { createParserFrom } from '../../src/i18n/index.ts';
import { allLanguagesParser, LOCALES_DIR } from './parser.ts';
import { createLabGateway } from '../../src/exchange/lab/index.ts';
import { ManualClock } from '../engine/harness.ts';
import { loadRunbooks } from '../../src/runbooks/index.ts';
import type { Case } from './corpus.ts';
import { CORPUS } from './corpus.ts';

const root = join(import.meta.dirname, '../..');
let vocab: Vocabulary;
const parser: QuestionParser = allLanguagesParser();
const parseQuestion = (text: string, v: Vocabulary, options?: ParseOptions) => parser.parse(text, v, options);

// The vocabulary the bot builds: the runbooks and the documented sets, plus what the lab's servers
// report (the mixed-versions organisation has an Exchange 2019 server with sets 2013 lacks).
beforeAll(async () => {
  const { runbooks, known } = await loadRunbooks(join(root, 'runbooks'), { localesDir: join(root, 'locales') });
  const clock = new ManualClock();
  const lab = await createLabGateway({
    runbooks,
    scenario: 'exchange-2019-beside-2013',
    scenariosDir: join(root, 'config/lab-scenarios'),
    clock,
    latency: 'none',
  });
  const discovered = await createDiscovery({ gateway: lab, clock }).refresh();
  vocab = vocabularyOf(createCatalogue(runbooks, known), discovered, await lab.listServers());
});

/** What the parser made of a case, in the corpus's terms, to compare whole. */
function observed(c: Case) {
  const p = parseQuestion(c.text, vocab, c.localeHint ? { localeHint: c.localeHint } : {});
  const i = p.intent;
  const first = p.problems[0];
  return {
    kind: i.kind,
    ...(i.kind === 'diagnose' && i.healthSet ? { hs: i.healthSet } : {}),
    ...(i.kind === 'diagnose' && i.server ? { server: i.server } : {}),
    ...(i.kind === 'diagnose' && i.followUp ? { followUp: true } : {}),
    ...(c.locale ? { locale: p.locale } : {}),
    ...(first
      ? { problem: { kind: first.kind, ...(c.problem?.suggestion ? { suggestion: first.suggestions[0] } : {}) } }
      : {}),
  };
}

function expected(c: Case) {
  const { text: _text, localeHint: _hint, ...rest } = c;
  return rest;
}

describe('the question corpus', () => {
  it('has at least 300 phrasings over at least 20 health sets, in English and German, and 25 in each of French, Spanish and Japanese', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(CORPUS.flatMap((c) => (c.hs ? [c.hs] : []))).size).toBeGreaterThanOrEqual(20);
    expect(CORPUS.filter((c) => c.locale === 'de').length).toBeGreaterThanOrEqual(60);
    for (const lng of ['fr', 'es', 'ja'])
      expect(CORPUS.filter((c) => c.locale === lng).length, lng).toBeGreaterThanOrEqual(25);
  });

  it.each(CORPUS.map((c) => [c.text, c] as const))('%j', (_text, c) => {
    expect(observed(c)).toEqual(expected(c));
  });
});

describe('parseQuestion', () => {
  it('prints its accuracy on the corpus (read by the issue note)', () => {
    const right = CORPUS.filter((c) => JSON.stringify(observed(c)) === JSON.stringify(expected(c))).length;
    console.log(`parser accuracy: ${right}/${CORPUS.length} (${((100 * right) / CORPUS.length).toFixed(1)}%)`);
    expect(right).toBe(CORPUS.length);
  });

  it('falls back to the platform language when the words do not tell', () => {
    expect(parseQuestion('imap server1', vocab, { localeHint: 'de-DE' }).locale).toBe('de');
    expect(parseQuestion('imap server1', vocab, { localeHint: 'fr-FR' }).locale).toBe('fr');
    expect(parseQuestion('imap server1', vocab, { localeHint: 'pt-BR' }).locale).toBe('en');
    // The product's parser knows only the supported languages: an unsupported hint falls back.
    const product = createParserFrom(LOCALES_DIR);
    expect(product.parse('imap server1', vocab, { localeHint: 'de-DE' }).locale).toBe('de');
    expect(product.parse('imap server1', vocab, { localeHint: 'xx' }).locale).toBe('en');
    expect(parseQuestion('what is wrong with imap on server1', vocab, { localeHint: 'de' }).locale).toBe('en');
  });

  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('impa', 'imap')).toBe(1);
    expect(editDistance('server1', 'sever1')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('never lets anything but a known name out as server or health set, whatever is typed', () => {
    const servers = new Set(vocab.servers.map((s) => s.name));
    const healthSets = new Set(vocab.healthSets.map((h) => h.name));
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          '',
          'imap on ',
          'check ',
          'was ist mit ',
          "qu'est-ce qui ne va pas avec l'",
          '¿qué le pasa a ',
          'server1の',
        ),
        (noise, prefix) => {
          const p = parseQuestion(prefix + noise, vocab);
          if (p.intent.kind === 'diagnose') {
            if (p.intent.server !== undefined) expect(servers.has(p.intent.server)).toBe(true);
            if (p.intent.healthSet !== undefined) expect(healthSets.has(p.intent.healthSet)).toBe(true);
          }
          for (const problem of p.problems) for (const s of problem.suggestions) expect(typeof s).toBe('string');
        },
      ),
      { numRuns: 500 },
    );
  });

  it("monitor and probe names come from the vocabulary: the runbooks' tables alone, or the servers' items alone", async () => {
    const { runbooks, known } = await loadRunbooks(join(root, 'runbooks'), { localesDir: join(root, 'locales') });
    const fromRunbooks = vocabularyOf(createCatalogue(runbooks, known), undefined, vocab.servers);
    expect(parseQuestion('ImapCTPMonitor unhealthy on server1', fromRunbooks).intent).toMatchObject({
      healthSet: 'IMAP',
      server: 'SERVER1',
    });
    expect(parseQuestion('EacSelfTestProbe failed on server2', fromRunbooks).intent).toMatchObject({
      healthSet: 'ECP',
    });
    // No runbook knows MailboxSpace's monitors: without the servers' items the name is reported, not guessed.
    expect(parseQuestion('DatabaseSizeMonitor unhealthy on mbx1', fromRunbooks).problems).toEqual([
      { kind: 'unknown-health-set', text: 'DatabaseSizeMonitor', suggestions: [] },
    ]);
    const fromServers = {
      ...vocab,
      items: vocab.items!.filter(
        (i) =>
          !runbooks.some(
            (rb) => rb.monitors.some((m) => m.name === i.name) || rb.probes.some((p) => p.name === i.name),
          ),
      ),
    };
    expect(parseQuestion('DatabaseSizeMonitor unhealthy on mbx1', fromServers).intent).toMatchObject({
      healthSet: 'MailboxSpace',
      server: 'MBX1',
    });
  });

  it('takes hostile text as text: quotes, PowerShell syntax and control characters never resolve', () => {
    const p = parseQuestion("imap on server1'; Restart-Computer -Force; $(rm -rf /) `whoami`", vocab);
    expect(p.intent).toMatchObject({ kind: 'diagnose', healthSet: 'IMAP', server: 'SERVER1' });
  });
});
