/** The engine as the benchmarks build it: the repository's runbooks, translations and lab policy. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ChatSurface, ConversationRef, ExchangeGateway, Store } from '../src/core/index.ts';
import { systemClock } from '../src/core/index.ts';
import type { Engine } from '../src/core/engine/index.ts';
import { createCatalogue, createEngine } from '../src/core/engine/index.ts';
import { createParserFrom, createTranslator } from '../src/i18n/index.ts';
import { createLabGateway } from '../src/exchange/lab/index.ts';
import { loadPolicyFile } from '../src/policy/load.ts';
import { loadRunbooks } from '../src/runbooks/index.ts';
import { createMemoryStore } from '../src/store/index.ts';

export const ROOT = join(import.meta.dirname, '..');

export async function runbooks() {
  return loadRunbooks(join(ROOT, 'runbooks'), { localesDir: join(ROOT, 'locales') });
}

export interface BenchEngineOptions {
  readonly gateway: ExchangeGateway;
  readonly surfaces: (conversation: ConversationRef) => ChatSurface | undefined;
  readonly store?: Store;
  /** The lab's personas and roles (config/lab.yaml), for benches that approve. */
  readonly labPolicy?: boolean;
}

export async function benchEngine(options: BenchEngineOptions): Promise<Engine> {
  const { runbooks: books, known } = await runbooks();
  const policy = options.labPolicy
    ? (await loadPolicyFile(join(ROOT, 'config/lab.yaml'), { expiryMinutes: 15 })).policy
    : undefined;
  return createEngine({
    gateway: options.gateway,
    store: options.store ?? createMemoryStore(),
    catalogue: createCatalogue(books, known),
    translator: createTranslator(join(ROOT, 'locales')),
    parser: createParserFrom(join(ROOT, 'locales')),
    clock: systemClock,
    newId: randomUUID,
    surfaces: options.surfaces,
    ...(policy ? { policy } : {}),
  });
}

/** The lab organisation in one of its scenarios, with Exchange-like latencies unless told otherwise. */
export async function benchLab(scenario: string, latency: 'none' | 'realistic' = 'realistic') {
  const { runbooks: books } = await runbooks();
  return createLabGateway({
    runbooks: books,
    scenario,
    scenariosDir: join(ROOT, 'config/lab-scenarios'),
    clock: systemClock,
    latency,
  });
}
