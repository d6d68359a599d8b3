/**
 * The server panel: what the card says first, before any finding or button. Every card names
 * the server's version and build (with a badge once it is out of support); when anything on the
 * server is off (maintenance, components not Active, a paused cluster node, activation, overrides,
 * the same failure elsewhere) it says so here, and a read that did not finish says "not read".
 */
import type { Fact, Section } from '../../model/card.ts';
import type { HeldComponents } from '../../model/incident.ts';
import type { ServerContext } from '../../model/server-context.ts';
import type { SideRead } from '../../model/side-read.ts';
import type { Translate } from '../../ports/i18n.ts';
import { clockTime } from './format.ts';
import { heldSections } from './held.ts';
import { calendarDate } from './dates.ts';
import { errorCodeWord, joinList } from './values.ts';

export interface PanelInput {
  readonly t: Translate;
  readonly server: string;
  readonly context: ServerContext;
  readonly held?: HeldComponents;
  readonly timeZone: string;
  readonly locale: string;
}

const ns = 'serverstate:';

function notRead(t: Translate, read: SideRead<unknown> | undefined): string | undefined {
  if (!read || read.status === 'read') return undefined;
  return read.status === 'timed-out'
    ? t(`${ns}notRead.timedOut`)
    : t(`${ns}notRead.failed`, { code: errorCodeWord(t, read.code) });
}

export function serverPanel(input: PanelInput): { facts: Fact[]; sections: Section[] } {
  const { t, server, context, held, timeZone, locale } = input;
  const time = (iso: string | undefined) => clockTime(iso, timeZone, locale);
  const facts: Fact[] = [];
  const items: string[] = [];
  const v = context.version;
  const product = v.product ? t(`${ns}product.${v.product}`) : t(`${ns}product.unknown`);
  const badge = v.outOfSupportSince
    ? ` · ${t(`${ns}outOfSupport`, { date: calendarDate(v.outOfSupportSince, timeZone, locale) })}`
    : '';
  facts.push({
    label: t(`${ns}fact.server`),
    value: `${t(`${ns}version`, { server, product, build: v.build ?? '?' })}${badge}`,
  });
  if (context.articleFor) items.push(t(`${ns}articleFor`, { article: context.articleFor, product }));

  let summary: string | undefined;
  const state = context.state;
  const unread = notRead(t, state);
  if (unread) items.push(t(`${ns}stateNotRead`, { server, why: unread }));
  if (state.status === 'read') {
    const offline = state.value.notActive.find(
      (c) => c.component.toLowerCase() === 'serverwideoffline' && c.requester === 'Maintenance',
    );
    if (offline) {
      const boot = state.value.lastBootUpTime;
      // Restarted after maintenance began, and still in it: patching ended, nobody took it out.
      const patched = boot && offline.at && Date.parse(boot) > Date.parse(offline.at);
      summary = patched
        ? t(`${ns}leftAfterPatching`, { server, since: time(offline.at), boot: time(boot) })
        : t(`${ns}inMaintenance`, { server, since: time(offline.at) });
    }
    const shown = new Set((held?.components ?? []).map((c) => c.component.toLowerCase()));
    const others = state.value.notActive.filter((c) => !shown.has(c.component.toLowerCase()));
    for (const c of others) {
      items.push(
        c.requester
          ? c.at
            ? t('held.itemSince', { component: c.component, state: c.state, requester: c.requester, time: time(c.at) })
            : t('held.item', { component: c.component, state: c.state, requester: c.requester })
          : t(`${ns}componentNoRequester`, { component: c.component, state: c.state }),
      );
    }
    const a = state.value.activation;
    if (a && !held?.activationBlocked && (a.disabledAndMoveNow || (a.policy && a.policy !== 'Unrestricted'))) {
      items.push(
        t(`${ns}activation`, {
          server,
          policy: a.policy ?? '?',
          moveNow: a.disabledAndMoveNow ? t(`${ns}moveNowOn`) : '',
        }).trim(),
      );
    }
    if (!summary && state.value.notActive.length > 0)
      summary = t(`${ns}componentsOff`, { server, count: state.value.notActive.length });
  }
  if (held?.clusterNode === 'Paused') items.push(t(`${ns}clusterPaused`, { server }));
  else if (held?.clusterNode === 'timed-out')
    items.push(t(`${ns}clusterNotRead`, { server, why: t(`${ns}notRead.timedOut`) }));
  else if (held?.clusterNode === 'failed')
    items.push(
      t(`${ns}clusterNotRead`, { server, why: t(`${ns}notRead.failed`, { code: errorCodeWord(t, 'failed') }) }),
    );

  const overrides = context.overrides;
  const overridesUnread = notRead(t, overrides);
  if (overridesUnread) items.push(t(`${ns}overridesNotRead`, { why: overridesUnread }));
  if (overrides?.status === 'read') {
    for (const o of overrides.value) {
      const item = [o.healthSet, o.item, ...(o.targetResource ? [o.targetResource] : [])].join('\\');
      const term = o.applyVersion
        ? t(`${ns}override.applyVersion`, { version: o.applyVersion })
        : o.expiresAt
          ? t(`${ns}override.until`, { time: time(o.expiresAt), date: calendarDate(o.expiresAt, timeZone, locale) })
          : '';
      const flags = [
        ...(o.stale ? [t(`${ns}override.stale`)] : []),
        ...(o.disables
          ? [
              t(`${ns}override.hidesType.${o.itemType}`, {
                defaultValue: t(`${ns}override.hides`, { type: o.itemType }),
              }),
            ]
          : []),
      ];
      const line = t(`${ns}override.line`, {
        scope: t(`${ns}override.${o.scope}`),
        item,
        property: o.property,
        value: o.value,
        term,
      });
      items.push(flags.length ? t(`${ns}override.withFlags`, { line, flags: joinList(t, flags) }) : line);
    }
  }
  if (context.disabledMonitors?.length)
    items.push(t(`${ns}disabledMonitors`, { monitors: joinList(t, context.disabledMonitors) }));

  const sections: Section[] = [];
  const blast = context.blastRadius;
  if (blast?.status === 'read') {
    const b = blast.value;
    const list = b.peers
      .map((p) => t(`${ns}peerState`, { server: p.server, state: t(`${ns}peer.${p.status}`) }))
      .join(' · ');
    if (b.organisationWide) {
      summary = t(`${ns}organisationWide`, { monitor: b.monitor });
      sections.push({
        kind: 'text',
        text: t(`${ns}organisationWideExplained`, {
          monitor: b.monitor,
          servers: joinList(
            t,
            b.peers.map((p) => p.server),
          ),
        }),
      });
    } else items.push(t(`${ns}elsewhere`, { monitor: b.monitor, peers: list }));
  }
  if (summary) facts.push({ label: t(`${ns}fact.state`), value: summary });
  if (held) sections.push(...heldSections(t, held, server, timeZone, locale));
  if (items.length > 0) sections.push({ kind: 'list', items });
  return { facts, sections };
}
