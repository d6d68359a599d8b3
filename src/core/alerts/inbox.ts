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

/** Stores one alert; false when the same delivery is already waiting (a redelivery). */
export async function putInInbox(store: Store, alert: Alert, receivedAt: Date, newId: () => string): Promise<boolean> {
  // Ordered by the sender's time, so a raise is processed before the clear that follows it.
  const key = `${INBOX_PREFIX}${alert.at}:${alert.deliveryId ?? newId()}`;
  return store.swapValue(key, undefined, { alert, receivedAt: receivedAt.toISOString() } satisfies InboxItem);
}

export interface Claimed {
  readonly key: string;
  readonly item: InboxItem;
}

export async function claimInbox(store: Store, owner: string, now: Date, leaseMs: number, limit = 500): Promise<Claimed[]> {
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
