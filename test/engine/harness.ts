/**
 * A whole engine for tests: the real runbooks and translations, the lab organisation, the
 * in-memory store, a clock the test moves, and a recording chat surface per conversation.
 */
import { join } from 'node:path';
import type { Actor, Card, Clock, ExchangeGateway, Operation, Store } from '../../src/core/index.ts';
import type { Engine, EngineDeps } from '../../src/core/engine/index.ts';
import { createCatalogue, createDiscovery, createEngine } from '../../src/core/engine/index.ts';
import { createParserFrom, createTranslator } from '../../src/i18n/index.ts';
import { createLabGateway } from '../../src/exchange/lab/index.ts';
import type { LabGateway } from '../../src/exchange/lab/index.ts';
import { loadPolicyFile } from '../../src/policy/load.ts';
import { loadRunbooks } from '../../src/runbooks/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { RecordingSurface } from '../../src/cli/surface.ts';

const root = join(import.meta.dirname, '../..');

export class ManualClock implements Clock {
  private at: number;
  constructor(start = '2026-11-24T14:00:00Z') {
    this.at = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
  async sleep(ms: number): Promise<void> {
    this.at += ms;
  }
}

/** Counts what ran against Exchange, so tests can assert "exactly once". */
export function countingGateway(inner: ExchangeGateway): ExchangeGateway & { ran: Operation[] } {
  const ran: Operation[] = [];
  return {
    ran,
    listServers: () => inner.listServers(),
    run: ((op: Operation, options?: Parameters<ExchangeGateway['run']>[1]) => {
      ran.push(op);
      return inner.run(op as never, options);
    }) as ExchangeGateway['run'],
    health: () => inner.health(),
    close: () => inner.close(),
    ...(inner.endpointServers ? { endpointServers: () => inner.endpointServers!() } : {}),
    ...(inner.leaveEndpoint ? { leaveEndpoint: (server: string) => inner.leaveEndpoint!(server) } : {}),
  };
}

/**
 * A `wrapGateway` for createHarness that routes every operation through `run`, which may change
 * the lab's answer (`next()`), fail in its place, or pass it on untouched.
 */
export function interceptRun(
  run: (op: Operation, next: () => Promise<unknown>) => Promise<unknown>,
): (lab: ExchangeGateway) => ExchangeGateway {
  return (lab) => ({
    listServers: () => lab.listServers(),
    health: () => lab.health(),
    close: () => lab.close(),
    run: ((op: Operation, options?: Parameters<ExchangeGateway['run']>[1]) =>
      run(op, () => lab.run(op as never, options))) as ExchangeGateway['run'],
  });
}

export interface Harness {
  readonly engine: Engine;
  /** What the engine was built from (for tests that build a context of their own). */
  readonly deps: EngineDeps;
  readonly store: Store;
  readonly gateway: ReturnType<typeof countingGateway>;
  /** The lab behind the gateway (its scenario, its reset). */
  readonly lab: LabGateway;
  readonly clock: ManualClock;
  readonly surface: RecordingSurface;
  readonly people: Record<'alice' | 'bob' | 'carol' | 'dave', Actor>;
  ask(text: string, as?: Actor, conversation?: string): Promise<void>;
  click(actionId: string, as: Actor, conversation?: string, eventId?: string): Promise<void>;
  /** The latest card of a kind that everyone sees. */
  lastCard(kind: Card['kind']): Card | undefined;
  /** Notices shown to one person only. */
  privateTo(name: string): Card[];
  button(card: Card | undefined, match: RegExp): string;
  /**
   * Clicks the next step as alice (approved by `approvers`) until the next step's label matches;
   * returns the labels walked past.
   */
  walkUntil(match: RegExp, approvers?: readonly ('bob' | 'dave')[]): Promise<string[]>;
  /** Moves the clock on and fires timers until no restart is being waited out (bounded). */
  waitOutReboots(stepMs?: number): Promise<void>;
}

let seq = 0;

export async function createHarness(
  scenario: string,
  options: {
    store?: Store;
    overrides?: Partial<EngineDeps>;
    locale?: string;
    /** Bends the lab's answers (a probe that keeps failing, a broken probe) for one test. */
    wrapGateway?: (lab: ExchangeGateway) => ExchangeGateway;
    /** Where the scenario is read from, for a test's own variant of a scenario. */
    scenariosDir?: string;
    /** Servers whose PowerShell endpoint the bot uses, in the lab (none unless a test says so). */
    labEndpoints?: readonly string[];
    /** Learn health sets and monitor names from the lab's servers, as the bot does (not yet read). */
    discover?: boolean;
  } = {},
): Promise<Harness> {
  const clock = new ManualClock();
  const { runbooks, known } = await loadRunbooks(join(root, 'runbooks'), { localesDir: join(root, 'locales') });
  const lab = await createLabGateway({
    runbooks,
    scenario,
    scenariosDir: options.scenariosDir ?? join(root, 'config/lab-scenarios'),
    clock,
    latency: 'none',
    ...(options.labEndpoints ? { endpoints: options.labEndpoints } : {}),
  });
  const gateway = countingGateway(options.wrapGateway ? options.wrapGateway(lab) : lab);
  const store = options.store ?? createMemoryStore();
  const surface = new RecordingSurface();
  const { policy, personas } = await loadPolicyFile(join(root, 'config/lab.yaml'), { expiryMinutes: 15 });
  const person = (id: string): Actor => {
    const p = personas.find((x) => x.id === id)!;
    return {
      platform: 'lab',
      userId: p.id,
      displayName: id,
      ...(p.directoryId ? { directoryId: p.directoryId } : {}),
      ...(options.locale ? { locale: options.locale } : {}),
    };
  };
  const deps: EngineDeps = {
    gateway,
    store,
    catalogue: createCatalogue(runbooks, known),
    ...(options.discover ? { discovery: createDiscovery({ gateway, clock }) } : {}),
    translator: createTranslator(join(root, 'locales')),
    parser: createParserFrom(join(root, 'locales')),
    clock,
    newId: () => `id${++seq}`,
    surfaces: () => surface,
    policy,
    ...options.overrides,
  };
  const engine = createEngine(deps);
  const people = { alice: person('alice'), bob: person('bob'), carol: person('carol'), dave: person('dave') };
  const harness: Harness = {
    engine,
    deps,
    store,
    gateway,
    lab,
    clock,
    surface,
    people,
    ask: (text, as = people.alice, conversation = 'test:c1') =>
      engine.handle({ kind: 'message', eventId: `m${++seq}`, conversation, actor: as, text }),
    click: (actionId, as, conversation = 'test:c1', eventId = `e${++seq}`) =>
      engine.handle({ kind: 'action', eventId, conversation, actor: as, actionId }),
    lastCard: (kind) => [...surface.messages].reverse().find((m) => !m.privateTo && m.card.kind === kind)?.card,
    privateTo: (name) => surface.messages.filter((m) => m.privateTo === name).map((m) => m.card),
    async walkUntil(match, approvers = ['bob']) {
      const walked: string[] = [];
      for (let i = 0; i < 25; i++) {
        const card = harness.lastCard('diagnosis');
        const next = card?.actions[0];
        if (!next) throw new Error('no next step to walk');
        const label = stepLabelOf(card);
        if (match.test(label)) return walked;
        walked.push(label);
        const before = (await store.listApprovals({ states: ['pending'] })).length;
        await harness.click(next.id, people.alice);
        if ((await store.listApprovals({ states: ['pending'] })).length > before) {
          for (const p of approvers)
            await harness.click(harness.button(harness.lastCard('approval'), /^Approve$/), people[p]);
        }
      }
      throw new Error(`never reached a step matching ${match}`);
    },
    async waitOutReboots(stepMs = 5_000) {
      for (let i = 0; i < 2_000; i++) {
        const open = (await store.listIncidents(50)).some((inc) => inc.reboot && inc.reboot.phase !== 'not-back');
        if (!open) return;
        clock.advance(stepMs);
        await engine.tick();
      }
      throw new Error('a restart was still being waited out after 2000 timer rounds');
    },
    button(card, match) {
      const b = card?.actions.find((a) => match.test(a.label));
      if (!b)
        throw new Error(
          `no button matching ${match} on ${card?.title}: ${card?.actions.map((a) => a.label).join(', ')}`,
        );
      return b.id;
    },
  };
  return harness;
}

/** The label of the card's next step: its button's, or for a manual step ("Done" / "Skip") the instruction on the "Next step" line. */
export function stepLabelOf(card: Card | undefined): string {
  const first = card?.actions[0]?.label ?? '';
  if (first !== 'Done') return first;
  return card?.facts.find((f) => /^Next step/.test(f.label))?.value ?? first;
}

export const cardText = (card: Card | undefined): string =>
  card
    ? [
        card.title,
        ...card.facts.map((f) => `${f.label}: ${f.value}`),
        ...card.sections.map((s) => (s.kind === 'list' ? s.items.join('\n') : s.text)),
        card.context ?? '',
      ].join('\n')
    : '';
