/**
 * A side read of a card (recovery history, server state, overrides, ...) as the incident keeps it:
 * its value, or why it was not read. Never an empty answer in its place.
 */
export type SideRead<T> =
  | { readonly status: 'read'; readonly value: T }
  | { readonly status: 'timed-out' }
  | { readonly status: 'failed'; readonly code: string };
