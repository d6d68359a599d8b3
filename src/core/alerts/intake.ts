/**
 * Alerts in, incidents out. `accept` stores alerts and returns at once (the webhook answers 202
 * after it); `drain` processes what is stored:
 * - one problem per (server, health set): while its record is open, further alerts attach to it
 *   (a counter and a time on its card, no new post); a clear closes it and says so on the card;
 * - an alert for a problem someone already asked about joins that incident;
 * - a raised alert for a known server and health set posts an alert card in every alerts channel
 *   and runs the read-only diagnosis at once in the first channel's thread;
 * - many new problems in a short window become one storm card, with the likeliest common cause
 *   diagnosed first.
 * Records are keyed in the store and changed only by compare-and-set, so replicas and redelivered
 * alerts make exactly one incident.
 */
import type { Actor } from '../model/event.ts';
import type { Incident } from '../model/incident.ts';
import type { EngineContext } from '../engine/context.ts';
import { startDiagnosis } from '../engine/run-diagnosis.ts';
import { changeIncident } from '../engine/incident-updates.ts';
import { clockTime } from '../engine/views/format.ts';
import type { Locale } from '../ports/i18n.ts';
import type { Alert, AlertSource } from './alert.ts';
import type { AlertChannel } from './channel.ts';
import type { CardOptions } from './cards.ts';
import { alertCard, stormCard } from './cards.ts';
import type { Claimed } from './inbox.ts';
import { claimInbox, inboxEntry, inboxWriter, removeFromInbox } from './inbox.ts';
import type { AlertRecord, CardPlace, StormRecord } from './record.ts';
import { CURRENT_STORM_KEY, OPEN_PREFIX, STORM_PREFIX, problemKey, recordOf } from './record.ts';
import type { IgnoreList, Resolved } from './resolve.ts';
import { ignored, resolveAlert } from './resolve.ts';
import { commonCause } from './storm.ts';

export interface AlertSettings {
  /** The language of alert cards and of the diagnoses alerts start. */
  readonly locale: Locale;
  /** This many new problems within `stormWindowMs` make a storm. */
  readonly stormThreshold: number;
  readonly stormWindowMs: number;
  /** How long `schedule` waits for more alerts before draining, so a burst is seen as one. */
  readonly batchMs: number;
  /** How long a drain owns the inbox items it claimed. */
  readonly leaseMs: number;
  readonly ignore: IgnoreList;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  locale: 'en',
  stormThreshold: 5,
  stormWindowMs: 5 * 60_000,
  batchMs: 1_000,
  leaseMs: 2 * 60_000,
  ignore: { servers: [], healthSets: [] },
};

export interface DrainReport {
  readonly processed: number;
  readonly opened: number;
  readonly attached: number;
  readonly cleared: number;
  readonly storms: number;
}

export interface AlertIntake {
  /** Stores the alerts durably and schedules a drain; returns how many were stored (ignored and redelivered ones are not). */
  accept(alerts: readonly Alert[]): Promise<number>;
  /** Processes everything waiting in the inbox, diagnoses included; safe to call from several replicas. */
  drain(): Promise<DrainReport>;
  /** Resolves once the drains scheduled so far are over. */
  idle(): Promise<void>;
}

export interface AlertIntakeDeps {
  readonly ctx: EngineContext;
  /** The alerts channels of the configured platforms, asked each time (Teams' may be chosen later). */
  readonly channels: () => readonly AlertChannel[];
  readonly settings?: Partial<AlertSettings>;
  /** Runs `work` after `ms` (real timers in the bot; tests call `drain` themselves). */
  readonly later?: (ms: number, work: () => void) => void;
}

/** Statuses in which someone is still working on an incident: an alert for it joins it. */
const ACTIVE: readonly Incident['status'][] = ['checking', 'confirmed', 'transient', 'failed'];
const ATTEMPTS = 8;

function actorFor(source: AlertSource, t: CardOptions['t']): Actor {
  return { platform: 'system', userId: `alerts:${source}`, displayName: t(`alerts:sourceName.${source}`) };
}

export function createAlertIntake(deps: AlertIntakeDeps): AlertIntake {
  const { ctx } = deps;
  const settings: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, ...deps.settings };
  const t = ctx.t(settings.locale);
  const cardOptions: CardOptions = { t, timeZone: ctx.timeZone, locale: settings.locale };
  const store = ctx.store;
  const writeInbox = inboxWriter(store);
  let running: Promise<unknown> = Promise.resolve();
  /** The drain `accept` scheduled and that has not started yet (one at a time: a burst is one batch). */
  let scheduled: Promise<void> | undefined;

  /** Applies `change` to the stored value until its compare-and-set wins; answers what was written. */
  async function swapLoop<T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
  ): Promise<{ before: T | undefined; after: T | undefined }> {
    for (let attempt = 1; ; attempt++) {
      const before = await store.getValue<T>(key);
      const after = change(before);
      if (after === before) return { before, after };
      if (await store.swapValue(key, before, after)) return { before, after };
      if (attempt >= ATTEMPTS) throw new Error(`alerts: ${key} kept changing under us`);
    }
  }

  async function postEverywhere(card: ReturnType<typeof alertCard>): Promise<CardPlace[]> {
    const places: CardPlace[] = [];
    for (const channel of deps.channels()) {
      try {
        places.push({ channel: channel.name, ...(await channel.post(card)) });
      } catch (err) {
        // One platform without an alerts channel (Teams before "alerts here") must not keep the others dark.
        ctx.observer.error?.(`alerts-post:${channel.name}`, err);
      }
    }
    return places;
  }

  async function updateCards(places: readonly CardPlace[], card: ReturnType<typeof alertCard>): Promise<void> {
    const channels = deps.channels();
    for (const place of places) {
      try {
        const channel = channels.find((c) => c.name === place.channel);
        if (channel) await channel.update(place, card);
        else await ctx.surface(place.conversation).update(place.conversation, place.messageRef, card);
      } catch (err) {
        ctx.observer.error?.(`alerts-update:${place.channel}`, err);
      }
    }
  }

  async function auditAlert(r: Resolved, incidentId: string | undefined, what: string): Promise<void> {
    await ctx.audit({
      type: 'command',
      ...(incidentId ? { incidentId } : {}),
      actor: actorFor(r.alert.source, t),
      data: {
        intent: 'alert',
        what,
        state: r.alert.state,
        server: r.alert.server,
        healthSet: r.alert.healthSet,
        monitor: r.alert.monitor ?? null,
        at: r.alert.at,
        text: r.alert.text.slice(0, 2_000),
        known: r.known,
      },
    });
  }

  async function askedAbout(r: Resolved): Promise<Incident | undefined> {
    if (!r.known.server || !r.known.healthSet) return undefined;
    const active = await store.listIncidentsByStatus(ACTIVE, 200);
    return active.find(
      (i) => i.server === r.alert.server && i.healthSet?.toLowerCase() === r.alert.healthSet.toLowerCase(),
    );
  }

  async function process(batch: readonly Resolved[]): Promise<DrainReport> {
    const report = { processed: batch.length, opened: 0, attached: 0, cleared: 0, storms: 0 };
    const diagnoses: Promise<unknown>[] = [];
    const touched = new Map<string, AlertRecord>();
    const touchedStorms = new Set<string>();
    const fresh: { r: Resolved; before: AlertRecord | undefined }[] = [];

    for (const r of batch) {
      const key = problemKey(r.alert.server, r.alert.healthSet);
      if (r.alert.state === 'raised') {
        const { after } = await swapLoop<AlertRecord>(key, (rec) =>
          rec?.open
            ? {
                ...rec,
                count: rec.count + 1,
                lastAt: r.alert.at > rec.lastAt ? r.alert.at : rec.lastAt,
                lastText: r.alert.text,
              }
            : rec,
        );
        if (after?.open) {
          report.attached++;
          touched.set(key, after);
          if (after.stormId) touchedStorms.add(after.stormId);
          await auditAlert(r, after.incidentId, 'attached');
        } else fresh.push({ r, before: after });
        continue;
      }
      // A clear: "by itself" when nobody requested anything on the incident.
      const current = await store.getValue<AlertRecord>(key);
      if (!current?.open) continue;
      const approvals = await store.listApprovals({ incidentId: current.incidentId });
      const { after } = await swapLoop<AlertRecord>(key, (rec) =>
        rec?.open
          ? {
              ...rec,
              open: false,
              clearedAt: r.alert.at,
              clearedByItself: approvals.length === 0,
              lastText: r.alert.text,
            }
          : rec,
      );
      if (!after || after.open) continue;
      report.cleared++;
      touched.set(key, after);
      await auditAlert(r, after.incidentId, 'cleared');
      if (after.stormId) {
        touchedStorms.add(after.stormId);
        await swapLoop<StormRecord>(
          `${STORM_PREFIX}${after.stormId}`,
          (s) =>
            s && {
              ...s,
              members: s.members.map((m) =>
                m.server === after.server && m.healthSet === after.healthSet ? { ...m, cleared: after.clearedAt! } : m,
              ),
            },
        );
      } else if (after.ownIncident && after.known.server && after.known.healthSet) {
        await settleIncident(after);
      }
    }

    if (fresh.length > 0) {
      const storm = await stormFor(fresh.length);
      if (storm) {
        report.storms += storm.created ? 1 : 0;
        await openStormMembers(storm.record, fresh, touched, report);
        touchedStorms.add(storm.record.id);
        if (storm.created) diagnoses.push(announceStorm(storm.record.id));
      } else {
        for (const f of fresh) {
          const opened = await openProblem(f.r, f.before);
          if (!opened) {
            // Another replica opened it between our read and our write: this alert attaches.
            const { after } = await swapLoop<AlertRecord>(problemKey(f.r.alert.server, f.r.alert.healthSet), (rec) =>
              rec?.open ? { ...rec, count: rec.count + 1, lastText: f.r.alert.text } : rec,
            );
            if (after?.open) touched.set(problemKey(after.server, after.healthSet), after);
            report.attached++;
            continue;
          }
          report.opened++;
          if (opened.diagnosis) diagnoses.push(opened.diagnosis);
        }
      }
    }

    // Each card changes once per batch, however many alerts touched it: the platforms' rate limits.
    for (const [key, rec] of touched) {
      if (rec.stormId) continue;
      const latest = (await store.getValue<AlertRecord>(key)) ?? rec;
      if (latest.incidentId === rec.incidentId) await updateCards(latest.cards, alertCard(latest, cardOptions));
    }
    for (const id of touchedStorms) {
      const storm = await store.getValue<StormRecord>(`${STORM_PREFIX}${id}`);
      if (storm && storm.cards.length > 0) await updateCards(storm.cards, stormCard(storm, cardOptions));
    }
    await Promise.all(diagnoses.map((d) => d.catch((err: unknown) => ctx.observer.error?.('alerts-diagnosis', err))));
    return report;
  }

  /** A cleared problem's own incident is resolved, unless a put-back is still owed (then it stays until that is done). */
  async function settleIncident(rec: AlertRecord): Promise<void> {
    const incident = await store.getIncident(rec.incidentId);
    if (!incident || !ACTIVE.includes(incident.status) || (incident.owed?.length ?? 0) > 0) return;
    await changeIncident(ctx, incident.id, (i) =>
      ACTIVE.includes(i.status) && !i.owed?.length
        ? {
            ...i,
            status: 'resolved',
            lastEvent: {
              key: 'alerts:card.clearedAt',
              vars: { time: clockTime(rec.clearedAt, ctx.timeZone, settings.locale) },
            },
          }
        : i,
    ).catch((err: unknown) => ctx.observer.error?.('alerts-settle', err));
  }

  async function openProblem(
    r: Resolved,
    before: AlertRecord | undefined,
  ): Promise<{ diagnosis?: Promise<unknown> } | undefined> {
    const joined = await askedAbout(r);
    const incidentId = joined?.id ?? ctx.newId();
    const rec = recordOf(r.alert, incidentId, r.known, !joined);
    const key = problemKey(r.alert.server, r.alert.healthSet);
    if (!(await store.swapValue(key, before, rec))) return undefined;
    await auditAlert(r, incidentId, joined ? 'joined' : 'opened');
    const card = alertCard(rec, cardOptions);
    let places: CardPlace[];
    if (joined) {
      // In the thread of the incident it joins: the people already there see it.
      const surface = ctx.surface(joined.conversation);
      places = [
        {
          channel: 'incident',
          conversation: joined.conversation,
          messageRef: await surface.post(joined.conversation, card),
        },
      ];
    } else places = await postEverywhere(card);
    await swapLoop<AlertRecord>(key, (current) =>
      current && current.incidentId === incidentId ? { ...current, cards: [...current.cards, ...places] } : current,
    );
    if (joined || !r.server || !r.known.healthSet || places.length === 0) return {};
    const server = r.server;
    return {
      diagnosis: startDiagnosis(ctx, {
        id: incidentId,
        conversation: places[0]!.conversation,
        actor: actorFor(r.alert.source, t),
        // The question is what the card says; the alert's own text is in the timeline as text.
        question: t(r.known.server && r.known.healthSet ? 'alerts:card.title' : 'alerts:card.titleUnknown', {
          healthSet: r.alert.healthSet,
          server: r.alert.server,
        }),
        locale: settings.locale,
        server,
        healthSet: r.alert.healthSet,
      }),
    };
  }

  /** The storm new problems join: the open one, or a new one when this batch and the last window's openings reach the threshold. */
  async function stormFor(newProblems: number): Promise<{ record: StormRecord; created: boolean } | undefined> {
    const now = ctx.clock.now();
    const current = await store.getValue<{ id: string; until: string }>(CURRENT_STORM_KEY);
    if (current && new Date(current.until).getTime() > now.getTime()) {
      const record = await store.getValue<StormRecord>(`${STORM_PREFIX}${current.id}`);
      if (record) return { record, created: false };
    }
    const since = now.getTime() - settings.stormWindowMs;
    const recent = (await store.listValues<AlertRecord>(OPEN_PREFIX, 1_000)).filter(
      (v) => v.value.open && !v.value.stormId && new Date(v.value.firstAt).getTime() >= since,
    ).length;
    if (newProblems + recent < settings.stormThreshold) return undefined;
    const id = ctx.newId();
    const record: StormRecord = {
      id,
      incidentId: ctx.newId(),
      openedAt: now.toISOString(),
      until: new Date(now.getTime() + settings.stormWindowMs).toISOString(),
      members: [],
      cards: [],
    };
    await store.putValue(`${STORM_PREFIX}${id}`, record);
    if (await store.swapValue(CURRENT_STORM_KEY, current, { id, until: record.until }))
      return { record, created: true };
    // Another replica started one at the same moment: join theirs.
    const theirs = await store.getValue<{ id: string }>(CURRENT_STORM_KEY);
    const record2 = theirs && (await store.getValue<StormRecord>(`${STORM_PREFIX}${theirs.id}`));
    return record2 ? { record: record2, created: false } : undefined;
  }

  async function openStormMembers(
    storm: StormRecord,
    fresh: readonly { r: Resolved; before: AlertRecord | undefined }[],
    touched: Map<string, AlertRecord>,
    report: { opened: number; attached: number },
  ): Promise<void> {
    const members: StormRecord['members'][number][] = [];
    for (const { r, before } of fresh) {
      const key = problemKey(r.alert.server, r.alert.healthSet);
      const rec: AlertRecord = { ...recordOf(r.alert, storm.incidentId, r.known, true), stormId: storm.id };
      if (await store.swapValue(key, before, rec)) {
        report.opened++;
        members.push({
          server: r.alert.server,
          healthSet: r.alert.healthSet,
          known: r.known.server && r.known.healthSet,
          count: 1,
        });
        await auditAlert(r, storm.incidentId, 'storm');
      } else {
        const { after } = await swapLoop<AlertRecord>(key, (cur) =>
          cur?.open ? { ...cur, count: cur.count + 1 } : cur,
        );
        if (after?.open) touched.set(key, after);
        report.attached++;
      }
    }
    await swapLoop<StormRecord>(
      `${STORM_PREFIX}${storm.id}`,
      (s) => s && { ...s, members: [...s.members, ...members] },
    );
  }

  /** Posts the storm card and diagnoses the likeliest common cause in its thread. */
  async function announceStorm(id: string): Promise<void> {
    const key = `${STORM_PREFIX}${id}`;
    const { after: withCause } = await swapLoop<StormRecord>(key, (s) => {
      const cause = s && commonCause(s.members);
      return s && cause ? { ...s, cause } : s;
    });
    if (!withCause) return;
    const places = await postEverywhere(stormCard(withCause, cardOptions));
    await swapLoop<StormRecord>(key, (s) => s && { ...s, cards: [...s.cards, ...places] });
    const cause = withCause.cause;
    const server = cause && (await ctx.servers()).find((s) => s.name === cause.server);
    if (!cause || !server || places.length === 0) return;
    await startDiagnosis(ctx, {
      id: withCause.incidentId,
      conversation: places[0]!.conversation,
      actor: actorFor('watch', t),
      question: t('alerts:storm.title', {
        problems: withCause.members.length,
        servers: new Set(withCause.members.map((m) => m.server)).size,
      }),
      locale: settings.locale,
      server,
      ...(cause.healthSet ? { healthSet: cause.healthSet } : {}),
    });
  }

  async function drainOnce(): Promise<DrainReport> {
    const claimed: Claimed[] = await claimInbox(store, ctx.instanceId, ctx.clock.now(), settings.leaseMs);
    if (claimed.length === 0) return { processed: 0, opened: 0, attached: 0, cleared: 0, storms: 0 };
    const servers = await ctx.servers();
    const batch: Resolved[] = [];
    for (const c of claimed) {
      const alert = c.item.alert;
      // A redelivery of a delivery already processed (the sender retried after our 202) does nothing.
      if (alert.deliveryId && !(await store.claimEvent(`alert:${alert.deliveryId}`, ctx.clock.now()))) continue;
      batch.push(resolveAlert(alert, servers, ctx.catalogue.healthSets));
    }
    batch.sort((a, b) => a.alert.at.localeCompare(b.alert.at));
    const report = await process(batch);
    for (const c of claimed) await removeFromInbox(store, c);
    return report;
  }

  const drain = (): Promise<DrainReport> => {
    // One drain at a time in this process; other replicas drain beside it on other items.
    const next = running.then(drainOnce, drainOnce);
    running = next.catch(() => undefined);
    return next;
  };

  return {
    async accept(alerts) {
      const entries = alerts
        .filter((a) => !ignored(a, settings.ignore))
        .map((a) => inboxEntry(a, ctx.clock.now(), ctx.newId));
      const stored = entries.length > 0 ? (await writeInbox(entries)).size : 0;
      const later = deps.later;
      if (stored > 0 && later && !scheduled) {
        scheduled = new Promise<void>((resolve) =>
          later(settings.batchMs, () => {
            scheduled = undefined;
            drain()
              .catch((err: unknown) => ctx.observer.error?.('alerts-drain', err))
              .finally(resolve);
          }),
        );
      }
      return stored;
    },
    drain,
    async idle() {
      while (scheduled) await scheduled;
      await running;
    },
  };
}
