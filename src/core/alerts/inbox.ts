/**
 * The durable inbox between "acknowledged" and "processed": an alert is stored before the sender
 * hears 202, and removed only once it was processed. Items are claimed with a lease by
 * compare-and-set, so replicas draining at once split them, and the items of a process that died
 * while processing come due again when its lease runs out.
 */
import type { Store } from '../ports/store.ts';
import type { Alert } from './alert.ts';

export const INBOX_PREFIX = 'alerts:inbox:';

export interface InboxItem {
  readonly alert: Alert;
  readonly receivedAt: string;
  readonly claim?: { readonly owner: string; readonly until: string };
}

/** The inbox entry of an alert: ordered by the sender's time, so a raise comes before the clear that follows it. */
export function inboxEntry(alert: Alert, receivedAt: Date, newId: () => string): { key: string; value: InboxItem } {
  return {
    key: `${INBOX_PREFIX}${alert.at}:${alert.deliveryId ?? newId()}`,
    value: { alert, receivedAt: receivedAt.toISOString() },
  };
}

/**
 * Group commit: entries handed in while a write is under way go together in the next one, so a
 * burst of webhooks costs a few commits instead of one each (the embedded database writes one at
 * a time). Each caller learns which of its keys were stored (a key already waiting was not).
 */
export function inboxWriter(store: Pick<Store, 'insertValues'>) {
  type Waiting = {
    entries: readonly { key: string; value: InboxItem }[];
    resolve: (stored: ReadonlySet<string>) => void;
    reject: (err: unknown) => void;
  };
  let queue: Waiting[] = [];
  let writing = false;
  const write = async () => {
    writing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const stored = new Set(await store.insertValues(batch.flatMap((w) => w.entries)));
        // A key two callers gave in one batch counts for the first of them only.
        const claimed = new Set<string>();
        for (const w of batch) {
          const mine = new Set(w.entries.map((e) => e.key).filter((k) => stored.has(k) && !claimed.has(k)));
          for (const k of mine) claimed.add(k);
          w.resolve(mine);
        }
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    writing = false;
  };
  return (entries: readonly { key: string; value: InboxItem }[]): Promise<ReadonlySet<string>> =>
    new Promise((resolve, reject) => {
      queue.push({ entries, resolve, reject });
      if (!writing) void write();
    });
}

export interface Claimed {
  readonly key: string;
  readonly item: InboxItem;
}

export async function claimInbox(
  store: Store,
  owner: string,
  now: Date,
  leaseMs: number,
  limit = 500,
): Promise<Claimed[]> {
  const waiting = await store.listValues<InboxItem>(INBOX_PREFIX, limit);
  const claimed: Claimed[] = [];
  for (const { key, value } of waiting) {
    if (value.claim && new Date(value.claim.until).getTime() > now.getTime()) continue;
    const next: InboxItem = { ...value, claim: { owner, until: new Date(now.getTime() + leaseMs).toISOString() } };
    if (await store.swapValue(key, value, next)) claimed.push({ key, item: next });
  }
  return claimed;
}

export async function removeFromInbox(store: Store, claimed: Claimed): Promise<void> {
  await store.swapValue(claimed.key, claimed.item, undefined);
}
