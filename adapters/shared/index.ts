/**
 * What the chat adapters share: the raw body reader with its size limit, rate pacing and update
 * coalescing. Adapters may import this folder (and src/core/index.ts); it imports no SDK.
 */
export { BodyTooLargeError, readRawBody } from './raw-body.ts';
export { evenSpacing, SlidingWindows } from './pacing.ts';
export type { RateWindow } from './pacing.ts';
export { Coalescer } from './coalesce.ts';
export type { CoalescerOptions } from './coalesce.ts';
