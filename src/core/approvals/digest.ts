/**
 * The digest that binds an approval to exactly one operation: kind, parameters and server. It is
 * computed when the request is made and again just before execution; if they differ, nothing runs.
 * Web Crypto is a global in Node 20, so the core needs no import for it.
 */
import type { Operation } from '../model/operations.ts';

/** JSON with sorted keys, so the same operation always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function operationDigest(op: Operation): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(op));
  const hash = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
