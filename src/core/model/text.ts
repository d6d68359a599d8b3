/**
 * Text from outside, made safe to store and to show. Two concerns, each with one function:
 *
 * - Storage: PostgreSQL (and the embedded PGlite) refuse a NUL character in text and JSON, and a
 *   lone UTF-16 surrogate cannot be encoded as UTF-8 at all. Either made the store throw, and the
 *   person was then told Exchange could not be reached. `cleanInboundEvent` strips NUL (and the
 *   other control characters no chat client sends on purpose) and replaces lone surrogates with
 *   U+FFFD in every field of an inbound event, before anything is stored.
 * - Display: bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) make text read
 *   backwards ("moc.live" shown as "evil.com"), in a name as well as in a question or a probe's
 *   error. They are removed on every platform alike: from inbound events, and from every card a
 *   renderer is given (`cleanCard`), since cards also carry text that came from Exchange.
 */
import type { Card, Section } from './card.ts';
import type { Actor, InboundEvent } from './event.ts';

/** Bidi embeddings, overrides and isolates. Marks (U+200E, U+200F) stay: they cannot reorder a run. */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
/** C0 controls but tab and newline, and DEL; NUL among them. A lone CR is a line end. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text that any store accepts and that reads in the order it was written. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROLS, '')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(BIDI_CONTROLS, '');
}

function cleanActor(actor: Actor): Actor {
  return {
    ...actor,
    platform: cleanText(actor.platform),
    userId: cleanText(actor.userId),
    displayName: cleanText(actor.displayName),
    ...(actor.directoryId !== undefined ? { directoryId: cleanText(actor.directoryId) } : {}),
    ...(actor.locale !== undefined ? { locale: cleanText(actor.locale) } : {}),
    ...(actor.groups !== undefined ? { groups: actor.groups.map(cleanText) } : {}),
  };
}

/** Every string of an event cleaned with `cleanText` (`raw`, which nothing stores, is kept as it is). */
export function cleanInboundEvent(event: InboundEvent): InboundEvent {
  const base = {
    eventId: cleanText(event.eventId),
    conversation: cleanText(event.conversation),
    actor: cleanActor(event.actor),
    ...(event.raw !== undefined ? { raw: event.raw } : {}),
  };
  if (event.kind === 'message') return { kind: 'message', ...base, text: cleanText(event.text) };
  return {
    kind: 'action',
    ...base,
    actionId: cleanText(event.actionId),
    ...(event.value !== undefined ? { value: cleanText(event.value) } : {}),
  };
}

const display = (text: string) => text.replace(BIDI_CONTROLS, '');

function cleanSection(section: Section): Section {
  return section.kind === 'list'
    ? { kind: 'list', items: section.items.map(display) }
    : { kind: section.kind, text: display(section.text) };
}

/** The card with bidi controls removed from every string a person reads; ids are left alone. */
export function cleanCard(card: Card): Card {
  return {
    ...card,
    title: display(card.title),
    facts: card.facts.map((f) => ({
      label: display(f.label),
      value: display(f.value),
      ...(f.style ? { style: f.style } : {}),
    })),
    sections: card.sections.map(cleanSection),
    actions: card.actions.map((a) => ({
      ...a,
      label: display(a.label),
      ...(a.confirm
        ? {
            confirm: {
              title: display(a.confirm.title),
              text: display(a.confirm.text),
              yes: display(a.confirm.yes),
              no: display(a.confirm.no),
            },
          }
        : {}),
    })),
    ...(card.context !== undefined ? { context: display(card.context) } : {}),
  };
}
