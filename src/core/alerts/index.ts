/** Alerts in: one `Alert` shape from every source, parsers for each format. */
export * from './alert.ts';
export { parseAlertInput } from './parse.ts';
export { parseAlertmanager, parseOwn, parseScom, parseJsonAlert } from './parse-json.ts';
export { parseEventXml } from './parse-event-xml.ts';
export { parseAlertText } from './parse-text.ts';
export type { AlertVocabulary } from './parse-text.ts';
