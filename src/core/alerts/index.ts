/** Alerts in: one `Alert` shape from every source, parsers for each format. */
export * from './alert.ts';
export { parseAlertInput } from './parse.ts';
export { parseAlertmanager, parseOwn, parseScom, parseJsonAlert } from './parse-json.ts';
export { parseEventXml } from './parse-event-xml.ts';
export { parseAlertText } from './parse-text.ts';
export type { AlertVocabulary } from './parse-text.ts';
export type { AlertChannel, PostedAlert } from './channel.ts';
export { createAlertIntake, DEFAULT_ALERT_SETTINGS } from './intake.ts';
export type { AlertIntake, AlertIntakeDeps, AlertSettings, DrainReport } from './intake.ts';
export type { AlertRecord, StormRecord } from './record.ts';
export { problemKey } from './record.ts';
export { alertCard, stormCard } from './cards.ts';
export { commonCause } from './storm.ts';
export { createWatcher, DEFAULT_WATCH, WATCH_LEASE_KEY, nextDelay } from './watch.ts';
export type { Watcher, WatchCycle, WatchSettings } from './watch.ts';
export { observe } from './debounce.ts';
