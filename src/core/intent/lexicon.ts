/**
 * The words that carry intent, in the languages Healthbot answers in. Kept as data so a new
 * language is a new entry, not new code. All entries are lower case, without apostrophes
 * (the tokeniser drops them: "what's" arrives as "whats").
 */
export type Lang = 'en' | 'de';

export interface Lexicon {
  /** Words that mostly occur in this language; the language with more of them wins. */
  readonly markers: ReadonlySet<string>;
  /** Letters only this language uses (German umlauts): their presence counts as one more marker. */
  readonly letters?: RegExp;
  readonly help: ReadonlySet<string>;
  readonly cancel: ReadonlySet<string>;
  readonly rerun: ReadonlySet<string>;
  readonly status: ReadonlySet<string>;
  /** "Something is wrong" words: they make a question without a health set a diagnosis. */
  readonly trouble: ReadonlySet<string>;
  /** Words before the server: "on server1", "auf server1". */
  readonly serverPrepositions: ReadonlySet<string>;
  /** Words before a health set: "wrong with IMAP", "check ECP", "mit IMAP". */
  readonly healthSetLeads: ReadonlySet<string>;
  /** Words for "health set" itself, as alert titles write it: the next word is a health set's name. */
  readonly healthSetWords: ReadonlySet<string>;
  /** Starts of follow-ups: "and on server2?", "what about server2", "und auf server2?". */
  readonly followUps: ReadonlySet<string>;
  /** Words that mean nothing here; never taken for an unknown health set or server. */
  readonly filler: ReadonlySet<string>;
}

const set = (words: string) => new Set(words.split(/\s+/).filter(Boolean));

export const LEXICONS: Readonly<Record<Lang, Lexicon>> = {
  en: {
    markers: set(`what whats wrong with on is check the help status broken how and rerun again cancel please down failing
      going looks look about of for are there any issues doing happening up going can you tell me why healthy working
      run try retry anything going hows`),
    help: set('help commands usage'),
    cancel: set('cancel abort nevermind'),
    rerun: set('rerun re-run retry again recheck re-check'),
    status: set('status state update progress'),
    trouble: set(`wrong broken down failing failed fail check ok okay healthy health problem problems issue issues up
      working works happening dead unhealthy error errors investigate diagnose look troubleshoot alert alerts red
      degraded slow`),
    serverPrepositions: set('on at for in from'),
    healthSetLeads: set('with check is about diagnose test troubleshoot investigate'),
    healthSetWords: set('set healthset'),
    followUps: set('and also'),
    filler: set(`a an the is are was be been it its this that there what whats wrong with on at for in from of to
      please pls can could you tell me us why how hows check ok okay and also about going happening up down broken
      failing failed problem problems issue issues healthy health status server servers again any anything right now
      just do does doing going looks look see show give run rerun hey hi hello thanks thank whats going bot healthbot
      my our it`),
  },
  de: {
    letters: /[äöüß]/i,
    markers: set(`was ist mit auf los kaputt prüfe prüf pruefe prüfen hilfe zustand geht nicht funktioniert läuft laeuft
      bitte nochmal erneut abbrechen und wie steht der die das den dem ein eine stimmt überprüfe ueberpruefe fehler
      gestört gestoert wieder mal bei sieht aus gibt es probleme noch schon alles abbruch stand`),
    help: set('hilfe befehle'),
    cancel: set('abbrechen abbruch stornieren'),
    rerun: set('nochmal erneut wiederholen wiederhole'),
    status: set('zustand stand fortschritt'),
    trouble: set(`los kaputt prüfe prüf pruefe prüfen überprüfe ueberpruefe fehler gestört gestoert problem probleme
      funktioniert geht läuft laeuft ausgefallen down störung stoerung`),
    serverPrepositions: set('auf bei an für fuer von'),
    healthSetLeads: set('mit prüfe prüf pruefe prüfen überprüfe ueberpruefe teste ist'),
    healthSetWords: set('healthset integritätsgruppe integritaetsgruppe'),
    followUps: set('und auch'),
    filler: set(`was ist mit auf los kaputt bitte mal nochmal erneut und wie steht es der die das den dem ein eine stimmt
      nicht funktioniert geht läuft laeuft bei sieht aus gibt probleme problem fehler noch schon alles server gerade
      jetzt hallo danke prüfe prüf pruefe prüfen überprüfe ueberpruefe teste an für fuer von auch zustand stand`),
  },
};

export const LANGS = Object.keys(LEXICONS) as Lang[];

/** Some phrases are asked as a whole; matched on the joined tokens. */
export const HELP_PHRASES = ['what can you do', 'was kannst du', 'how does this work', 'wie funktioniert das'];
