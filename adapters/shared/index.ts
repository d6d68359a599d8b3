/**
 * What the chat adapters share: the raw body reader with its size limit and rate pacing.
 * Adapters may import this folder (and src/core/index.ts); it imports no SDK. Update coalescing
 * is shared with the engine as well, so it lives in core (`Coalescer` from src/core/index.ts).
 */
export { BodyTooLargeError, readRawBody } from './raw-body.ts';
export { evenSpacing, KeyedWindows, SlidingWindows, takeSlot } from './pacing.ts';
export type { RateWindow } from './pacing.ts';
