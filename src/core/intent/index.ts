export type { Intent, ParsedQuestion, ParseOptions, ParseProblem, Vocabulary } from './parse.ts';
export { detectLocale, parseQuestion } from './parse.ts';
export { editDistance, nearest } from './distance.ts';
export type { Lang } from './lexicon.ts';
