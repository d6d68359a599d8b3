/**
 * One test driver for every chat platform: `say`, `click`, `cards`, `settle`. It puts a whole
 * engine on the lab behind a platform's adapter (started through the port, as the composition
 * root does) and lets a scenario be written once, in people's terms, and run on each platform.
 */
import type { Clock } from '../../src/core/index.ts';
import { surfaceFor } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import type { Harness } from '../engine/harness.ts';
import { createHarness } from '../engine/harness.ts';
import type { Person, Platform, ShownCard } from './platforms.ts';
import { PLATFORMS } from './platforms.ts';

export interface Driver {
  readonly platform: string;
  readonly harness: Harness;
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
  const harness = (ref.harness = await createHarness(scenario, { store, overrides: { surfaces: (c) => surfaceFor([platform.adapter], c) } }));
  await platform.adapter.start(harness.engine);

  const cards = async (person?: Person) => (await platform.cards()).filter((c) => !person || !c.privateTo || c.privateTo === person);
  const card = async (person: Person, title: RegExp) => [...(await cards(person))].reverse().find((c) => title.test(c.title));
  return {
    platform: platformName,
    harness,
    async say(person, text, where) {
      const r = await platform.say(person, text, where);
      if (!r.accepted) throw new Error(`${platformName} refused ${person}'s message`);
      return r.where;
    },
    async click(person, title, label) {
      const target = await card(person, title);
      if (!target) throw new Error(`${person} sees no card titled ${title} on ${platformName}: ${(await cards(person)).map((c) => c.title).join(' | ')}`);
      const button = target.buttons.find((b) => label.test(b.label));
      if (!button) throw new Error(`no button ${label} on "${target.title}": ${target.buttons.map((b) => b.label).join(', ')}`);
      const r = await platform.click(person, target, button.value);
      if (!r.accepted) throw new Error(`${platformName} refused ${person}'s click`);
    },
    cards,
    card,
    settle: () => platform.adapter.idle(),
    close: () => platform.close(),
  };
}
