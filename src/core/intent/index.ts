export type { Intent, ParsedQuestion, ParseOptions, ParseProblem, Vocabulary } from './parse.ts';
export { editDistance, nearest } from './distance.ts';
export type { Lexicon } from './lexicon.ts';
export { LEXICON_LISTS, WRITING_SYSTEM_LISTS, lexiconOf } from './lexicon.ts';
export type { QuestionParser } from './parser.ts';
export { createQuestionParser } from './parser.ts';
