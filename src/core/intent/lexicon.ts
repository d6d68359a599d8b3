/**
 * The words that carry intent in one language, as `locales/<lng>/intent.json` holds them: data,
 * so a new language is a new file, not new code. Core never reads the files; the composition root
 * does and hands the lexicons to `createQuestionParser`.
 *
 * Words may be written with their accents ("réplication", "prüfe"): matching folds accents on both
 * sides. Apostrophes are dropped by the tokeniser ("what's" arrives as "whats") unless the part
 * before one is an elision of the language ("l'IMAP" arrives as "l" and "IMAP").
 */
export interface Lexicon {
  /** Words that mostly occur in this language; the language with more of them wins. */
  readonly markers: readonly string[];
  /** Letters only this language uses (German ß, Spanish ñ ¿ ¡): their presence counts as one more marker. */
  readonly letters: readonly string[];
  /** Unicode scripts (`Hiragana`, `Katakana`, `Han`) that, when present, decide the language outright. */
  readonly scripts: readonly string[];
  /** Word starts that end in an apostrophe and belong to the next word: French "l'", "d'", "qu'". */
  readonly elisions: readonly string[];
  readonly help: readonly string[];
  /** Help asked as a whole sentence ("what can you do"), matched on the joined words. */
  readonly helpPhrases: readonly string[];
  readonly cancel: readonly string[];
  readonly rerun: readonly string[];
  readonly status: readonly string[];
  /** "Something is wrong" words: they make a question without a health set a diagnosis. */
  readonly trouble: readonly string[];
  /** Words before the server: "on server1", "auf server1", "sur server1". */
  readonly serverPrepositions: readonly string[];
  /** Words before a health set: "wrong with IMAP", "check ECP", "mit IMAP", "avec l'IMAP". */
  readonly healthSetLeads: readonly string[];
  /** Words for "health set" itself, as alert titles write it: the next word is a health set's name. */
  readonly healthSetWords: readonly string[];
  /** Starts of follow-ups: "and on server2?", "what about server2", "¿y en server2?". */
  readonly followUps: readonly string[];
  /** Ends of follow-ups: "server2 too?", "server2は？" (Japanese marks the topic after the word). */
  readonly followUpEnds: readonly string[];
  /** Words that mean nothing here; never taken for an unknown health set or server. */
  readonly filler: readonly string[];
}

export const LEXICON_LISTS = [
  'markers',
  'letters',
  'scripts',
  'elisions',
  'help',
  'helpPhrases',
  'cancel',
  'rerun',
  'status',
  'trouble',
  'serverPrepositions',
  'healthSetLeads',
  'healthSetWords',
  'followUps',
  'followUpEnds',
  'filler',
] as const satisfies readonly (keyof Lexicon)[];

/** Lists that describe a writing system, not words: a language may have none (English has no elisions). */
export const WRITING_SYSTEM_LISTS: ReadonlySet<keyof Lexicon> = new Set(['letters', 'scripts', 'elisions']);

/**
 * A lexicon from parsed JSON, or the reasons it is not one (`where` names the file in them):
 * every list present, strings only, word lists non-empty, scripts that Unicode knows.
 */
export function lexiconOf(data: unknown, where: string): { lexicon: Lexicon } | { problems: string[] } {
  if (!data || typeof data !== 'object' || Array.isArray(data))
    return { problems: [`${where}: not an object of word lists`] };
  const record = data as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record))
    if (!(LEXICON_LISTS as readonly string[]).includes(key)) problems.push(`${where}: unknown list "${key}"`);
  for (const key of LEXICON_LISTS) {
    const list = record[key];
    if (!Array.isArray(list) || !list.every((w) => typeof w === 'string' && w.trim() !== ''))
      problems.push(`${where}: "${key}" must be a list of words`);
    else if (list.length === 0 && !WRITING_SYSTEM_LISTS.has(key)) problems.push(`${where}: "${key}" is empty`);
  }
  for (const script of Array.isArray(record.scripts) ? record.scripts : []) {
    try {
      new RegExp(`\\p{Script=${String(script)}}`, 'u');
    } catch {
      problems.push(`${where}: "${String(script)}" is not a Unicode script`);
    }
  }
  return problems.length > 0 ? { problems } : { lexicon: data as Lexicon };
}
