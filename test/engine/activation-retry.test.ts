/**
 * A move-now that runs twice (a retry after a failure, or a second incident about the same server)
 * finds the Blocked the first one set. What allowing activation again restores is the policy the
 * server had before the FIRST one, kept on the incident.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActivationOutcome } from '../../src/core/index.ts';
import type { Harness } from './harness.ts';
import { createHarness, interceptRun } from './harness.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** imap-slow-commands with SERVER2's DatabaseCopyAutoActivationPolicy IntrasiteOnly before anyone touched it. */
async function intrasiteOnly(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'healthbot-scenario-'));
  dirs.push(dir);
  const base = await readFile(join(import.meta.dirname, '../../config/lab-scenarios/imap-slow-commands.yaml'), 'utf8');
  await writeFile(
    join(dir, 'imap-slow-commands.yaml'),
    `${base.trimEnd()}\nactivation:\n  - { server: SERVER2, policy: IntrasiteOnly }\n`,
  );
  return dir;
}

async function approveAs(h: Harness, conversation: string, ...people: ('bob' | 'dave')[]): Promise<void> {
  for (const p of people) await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people[p], conversation);
}

/** Walks the slow-commands ladder (restarts, then two waits) up to moving the databases off. */
async function walkToMove(h: Harness, conversation = 'test:c1'): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice, conversation);
    await approveAs(h, conversation, 'bob');
  }
  for (let i = 0; i < 2; i++) {
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice, conversation);
    h.clock.advance(10 * 60_000);
    await h.engine.tick();
  }
  expect(h.lastCard('diagnosis')!.actions[0]!.label).toBe('Move active databases off SERVER2 and block activation');
}

const owedAllow = async (h: Harness, incidentId: string) =>
  (await h.store.getIncident(incidentId))!.owed?.find((o) => o.stepId === 'allow-activation')?.operation;
const policyOf = async (h: Harness) =>
  (await h.gateway.run({ kind: 'get-server-state', server: 'SERVER2' })).activation?.policy;

describe('a retried move-now keeps the first activation policy', () => {
  it('after a failed move-now, the retry finds Blocked, and the put-back still restores IntrasiteOnly', async () => {
    let moves = 0;
    const h = await createHarness('imap-slow-commands', {
      scenariosDir: await intrasiteOnly(),
      // The first move blocks activation (as Exchange does) but a database does not move: it fails.
      wrapGateway: interceptRun(async (op, next) => {
        const result = await next();
        if (op.kind !== 'set-database-activation' || op.mode !== 'move-now' || moves++ > 0) return result;
        return {
          ...(result as ActivationOutcome),
          ok: false,
          detail: 'activation blocked on SERVER2; cannot move DB03 (Mounted; other copies: none)',
        };
      }),
    });
    await h.ask('imap on server2');
    await walkToMove(h);
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await approveAs(h, 'test:c1', 'bob');
    const [incident] = await h.store.listIncidents(1);
    expect(await policyOf(h)).toBe('Blocked');
    expect(incident!.activationFound).toEqual([
      expect.objectContaining({ server: 'SERVER2', policy: 'IntrasiteOnly', disabledAndMoveNow: false }),
    ]);
    expect(await owedAllow(h, incident!.id)).toBeUndefined();

    // The same step again: this time the lab reports the Blocked the first attempt left.
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toBe('Move active databases off SERVER2 and block activation');
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await approveAs(h, 'test:c1', 'bob');
    expect(moves).toBe(2);
    expect(await owedAllow(h, incident!.id)).toEqual({
      kind: 'set-database-activation',
      server: 'SERVER2',
      mode: 'allow',
      restorePolicy: 'IntrasiteOnly',
    });

    await h.click(h.button(h.lastCard('diagnosis'), /^Escalate$/), h.people.alice);
    await h.click(h.button(h.lastCard('diagnosis'), /^Put back: Allow database activation/), h.people.alice);
    await approveAs(h, 'test:c1', 'bob');
    expect(await policyOf(h)).toBe('IntrasiteOnly');
  });

  it('a second incident about the same server restores what the first one found, not the Blocked it left', async () => {
    const h = await createHarness('imap-slow-commands', { scenariosDir: await intrasiteOnly() });
    await h.ask('imap on server2');
    await walkToMove(h);
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await approveAs(h, 'test:c1', 'bob');
    const [first] = await h.store.listIncidents(1);
    expect(await owedAllow(h, first!.id)).toMatchObject({ restorePolicy: 'IntrasiteOnly' });

    // Left without closing; another person asks again in another conversation and walks to the move.
    await h.ask('imap on server2', h.people.dave, 'test:c2');
    const [second] = await h.store.listIncidents(1);
    expect(second!.id).not.toBe(first!.id);
    await walkToMove(h, 'test:c2');
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice, 'test:c2');
    await approveAs(h, 'test:c2', 'bob');
    expect(await policyOf(h)).toBe('Blocked');
    expect((await h.store.getIncident(second!.id))!.activationFound).toEqual([
      expect.objectContaining({ policy: 'IntrasiteOnly', fromIncident: first!.id }),
    ]);
    expect(await owedAllow(h, second!.id)).toEqual({
      kind: 'set-database-activation',
      server: 'SERVER2',
      mode: 'allow',
      restorePolicy: 'IntrasiteOnly',
    });
  });
});
