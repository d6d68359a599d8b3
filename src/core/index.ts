/**
 * The public face of the core. Adapters import from here and nowhere else in `src/`.
 */
export * from './model/card.ts';
export * from './model/text.ts';
export * from './model/event.ts';
export * from './model/exchange.ts';
export * from './model/evidence.ts';
export * from './model/exchange-families.ts';
export * from './model/incident.ts';
export * from './model/operations.ts';
export * from './model/server-context.ts';
export * from './model/side-read.ts';
export * from './model/monitoring-items.ts';
export * from './model/runbook.ts';
export * from './ports/chat.ts';
export * from './ports/adapter.ts';
export * from './ports/clock.ts';
export * from './ports/gateway.ts';
export * from './ports/i18n.ts';
export * from './ports/store.ts';
export * from './errors.ts';
export * from './ports/observer.ts';
export * from './ports/engine.ts';
export * from './approvals/index.ts';
export * from './work-queue.ts';
export * from './requests-first.ts';
export * from './coalesce.ts';
export { emsCommand, psQuote } from './engine/ems-command.ts';
export { describeEvidence } from './engine/evidence/describe.ts';
