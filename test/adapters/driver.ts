/**
 * One test driver for every chat platform: `say`, `click`, `cards`, `settle`. It puts a whole
 * engine on the lab behind a platform's adapter (started through the port, as the composition
 * root does) and lets a scenario be written once, in people's terms, and run on each platform.
 */
import type { ChatSurface, Clock } from '../../src/core/index.ts';
import { surfaceFor } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import type { Harness } from '../engine/harness.ts';
import { createHarness } from '../engine/harness.ts';
import type { Person, Platform, ShownCard } from './platforms.ts';
import { PLATFORMS } from './platforms.ts';

/** A call the engine made on the platform's surface, in the order made. */
export interface SurfaceCall {
  readonly op: 'post' | 'update' | 'notify';
  /** The message updated (update only), in the platform's ids (a ShownCard's `id`). */
  readonly ref?: string;
  readonly title: string;
}

export interface Driver {
  readonly platform: string;
  readonly harness: Harness;
  /** Every call the engine made on the adapter's surface, oldest first. */
  readonly sent: readonly SurfaceCall[];
  /** `person` writes to the bot (a new thread, or `where`); returns the thread. */
  say(person: Person, text: string, where?: string): Promise<string>;
  /** `person` clicks the button whose label matches, on the newest card they see whose title matches. */
  click(person: Person, title: RegExp, label: RegExp): Promise<void>;
  /** What `person` sees (everyone's cards and their own private ones); every card without a person. */
  cards(person?: Person): Promise<ShownCard[]>;
  /** The newest card `person` sees whose title matches. */
  card(person: Person, title: RegExp): Promise<ShownCard | undefined>;
  /** Everything accepted so far has been handled and sent. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function drive(platformName: string, scenario: string): Promise<Driver> {
  const make = PLATFORMS[platformName];
  if (!make) throw new Error(`no platform ${platformName}`);
  const store = createMemoryStore();
  const ref: { harness?: Harness } = {};
  // The platform is built before the engine (as in the composition root); it reads the clock late.
  const clock: Clock = { now: () => ref.harness!.clock.now(), sleep: (ms) => ref.harness!.clock.sleep(ms) };
  const platform: Platform = await make({ store, clock });
  const sent: SurfaceCall[] = [];
  const inner = platform.adapter.surface;
  const recorded: ChatSurface = {
    capabilities: inner.capabilities,
    post: (c, card, reply) => (sent.push({ op: 'post', title: card.title }), inner.post(c, card, reply)),
    update: (c, id, card, reply) => (
      sent.push({ op: 'update', ref: id, title: card.title }),
      inner.update(c, id, card, reply)
    ),
    notify: (c, actor, card, reply) => (
      sent.push({ op: 'notify', title: card.title }),
      inner.notify(c, actor, card, reply)
    ),
  };
  const surfaces = (c: string) => (surfaceFor([platform.adapter], c) ? recorded : undefined);
  const harness = (ref.harness = await createHarness(scenario, { store, overrides: { surfaces } }));
  await platform.adapter.start(harness.engine);

  const cards = async (person?: Person) =>
    (await platform.cards()).filter((c) => !person || !c.privateTo || c.privateTo === person);
  const card = async (person: Person, title: RegExp) =>
    [...(await cards(person))].reverse().find((c) => title.test(c.title));
  return {
    platform: platformName,
    harness,
    sent,
    async say(person, text, where) {
      const r = await platform.say(person, text, where);
      if (!r.accepted) throw new Error(`${platformName} refused ${person}'s message`);
      return r.where;
    },
    async click(person, title, label) {
      const target = await card(person, title);
      if (!target)
        throw new Error(
          `${person} sees no card titled ${title} on ${platformName}: ${(await cards(person)).map((c) => c.title).join(' | ')}`,
        );
      const button = target.buttons.find((b) => label.test(b.label));
      if (!button)
        throw new Error(`no button ${label} on "${target.title}": ${target.buttons.map((b) => b.label).join(', ')}`);
      const r = await platform.click(person, target, button.value);
      if (!r.accepted) throw new Error(`${platformName} refused ${person}'s click`);
    },
    cards,
    card,
    settle: () => platform.adapter.idle(),
    close: () => platform.close(),
  };
}
