/**
 * Things made once per key and handed out again, for the SDK clients the adapter keeps (one per
 * service URL and app id): a promise is kept, so callers arriving while one is being made share
 * it; a failure is not, so the next caller tries again (a token endpoint that was down).
 */

/** How many clients of each kind are kept: service URLs are a handful per cloud region. */
export const KEPT_CLIENTS = 64;

/** Promises of made things by key, the least recently used dropped first; a failure is not kept. */
export class KeptPromises<V> {
  private readonly kept = new Map<string, Promise<V>>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.kept.size;
  }

  get(key: string, make: () => Promise<V>): Promise<V> {
    const found = this.kept.get(key);
    if (found) {
      // Moved to the end: Map keeps insertion order, so the first key is the least recently used.
      this.kept.delete(key);
      this.kept.set(key, found);
      return found;
    }
    const made = make();
    this.kept.set(key, made);
    made.catch(() => {
      if (this.kept.get(key) === made) this.kept.delete(key);
    });
    while (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
    return made;
  }
}
