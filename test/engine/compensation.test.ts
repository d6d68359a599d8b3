/**
 * Compensating steps: once a step that changes something ran (databases moved off, activation
 * blocked), the step that puts it back is owed on every exit of the incident, offered on the card,
 * listed in the timeline, never blocked by a healthy monitor, and the incident cannot be closed
 * while it is owed unless a person dismisses it on the record.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MonitorHealth } from '../../src/core/index.ts';
import type { Harness } from './harness.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

async function approveAs(h: Harness, ...people: (keyof Harness['people'])[]): Promise<void> {
  for (const p of people) await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people[p]);
}

/** Walks imap-slow-commands on SERVER2 up to (not including) the server restart. */
async function walkToRestart(h: Harness): Promise<void> {
  await h.ask('imap on server2');
  for (let i = 0; i < 2; i++) {
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await approveAs(h, 'bob');
  }
  for (let i = 0; i < 2; i++) {
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    h.clock.advance(10 * 60_000);
    await h.engine.tick();
  }
  expect(h.lastCard('diagnosis')!.actions[0]!.label).toBe('Move active databases off SERVER2 and block activation');
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
  await approveAs(h, 'bob');
  expect(cardText(h.lastCard('diagnosis'))).toMatch(/Still owed/);
  expect(cardText(h.lastCard('diagnosis'))).toMatch(/Allow database activation on SERVER2 again/);
}

const activationBlocked = async (h: Harness) => {
  const op = h.gateway.ran.filter((o) => o.kind === 'set-database-activation');
  return op.at(-1);
};

/** imap-slow-commands on a SERVER2 whose DatabaseCopyAutoActivationPolicy was `policy` before anyone touched it. */
const scenarioDirs: string[] = [];
afterAll(() => Promise.all(scenarioDirs.map((d) => rm(d, { recursive: true, force: true }))));

async function withPolicy(policy: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'healthbot-scenario-'));
  scenarioDirs.push(dir);
  const base = await readFile(join(import.meta.dirname, '../../config/lab-scenarios/imap-slow-commands.yaml'), 'utf8');
  await writeFile(
    join(dir, 'imap-slow-commands.yaml'),
    `${base.trimEnd()}\nactivation:\n  - { server: SERVER2, policy: ${policy} }\n`,
  );
  return dir;
}

const policyOf = async (h: Harness, server: string) =>
  (await h.gateway.run({ kind: 'get-server-state', server })).activation?.policy;

describe('compensating steps', () => {
  it.each(['IntrasiteOnly', 'Blocked'])(
    'allowing activation again restores the policy the server had before (%s), not a fixed one',
    async (policy) => {
      const h = await createHarness('imap-slow-commands', { scenariosDir: await withPolicy(policy) });
      expect(await policyOf(h, 'SERVER2')).toBe(policy);
      await walkToRestart(h);
      // Moving the databases off also blocked automatic activation, and the put-back remembers what it replaced.
      expect(await policyOf(h, 'SERVER2')).toBe('Blocked');
      const [incident] = await h.store.listIncidents(1);
      expect(incident!.owed?.find((o) => o.stepId === 'allow-activation')?.operation).toEqual({
        kind: 'set-database-activation',
        server: 'SERVER2',
        mode: 'allow',
        restorePolicy: policy,
      });
      await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
      await h.walkUntil(/^Restart the server SERVER2$/);
      await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
      await approveAs(h, 'bob', 'dave');
      await h.waitOutReboots();
      await h.click(h.button(h.lastCard('diagnosis'), /^Put back: Allow database activation/), h.people.alice);
      await approveAs(h, 'bob');
      expect(await activationBlocked(h)).toEqual({
        kind: 'set-database-activation',
        server: 'SERVER2',
        mode: 'allow',
        restorePolicy: policy,
      });
      expect(await policyOf(h, 'SERVER2')).toBe(policy);
      const state = await h.gateway.run({ kind: 'get-server-state', server: 'SERVER2' });
      expect(state.activation?.disabledAndMoveNow).toBe(false);
    },
  );

  it('walking imap-slow-commands to the server restart ends with activation allowed again, and the audit shows it', async () => {
    const h = await createHarness('imap-slow-commands');
    await walkToRestart(h);
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice); // copies moved?
    await h.walkUntil(/^Restart the server SERVER2$/);
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await approveAs(h, 'bob', 'dave');
    await h.waitOutReboots();
    const resolved = h.lastCard('diagnosis')!;
    expect(resolved.title).toBe('IMAP on SERVER2: resolved');
    // Resolved, and still owed: offered first on the resolved card (activation, transport, online).
    expect(resolved.actions.filter((a) => a.label.startsWith('Put back: ')).map((a) => a.label)).toEqual([
      'Put back: Allow database activation on SERVER2 again',
      'Put back: Set HubTransport Active on SERVER2 (requester Maintenance)',
      'Put back: Set ServerWideOffline Active on SERVER2 (requester Maintenance)',
    ]);
    expect(cardText(resolved)).toMatch(/Still owed \(3 steps/);
    // What the planned restart took offline is owed, not a held component to "fix" twice.
    expect(resolved.actions.some((a) => /Exit maintenance/.test(a.label))).toBe(false);

    // Closing now is refused: something on the server is still changed.
    await h.click(h.button(resolved, /^Close incident$/), h.people.alice);
    expect(cardText(h.privateTo('alice').at(-1))).toMatch(/cannot be closed.*still owed/s);

    await h.click(resolved.actions[0]!.id, h.people.alice);
    await approveAs(h, 'bob');
    expect(await activationBlocked(h)).toEqual({
      kind: 'set-database-activation',
      server: 'SERVER2',
      mode: 'allow',
      restorePolicy: 'Unrestricted',
    });
    for (let i = 0; i < 2; i++) {
      await h.click(h.button(h.lastCard('diagnosis'), /^Put back: /), h.people.alice);
      await approveAs(h, 'bob');
    }
    expect(h.gateway.ran).toContainEqual({
      kind: 'set-server-component-state',
      server: 'SERVER2',
      component: 'ServerWideOffline',
      state: 'Active',
      requester: 'Maintenance',
    });
    expect(h.gateway.ran).toContainEqual({
      kind: 'set-server-component-state',
      server: 'SERVER2',
      component: 'HubTransport',
      state: 'Active',
      requester: 'Maintenance',
    });
    const [incident] = await h.store.listIncidents(1);
    expect(incident!.owed).toEqual([]);
    expect(incident!.status).toBe('resolved');
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/back as it was found/);

    const audit = await h.store.readAudit({ incidentId: incident!.id });
    const owed = audit.find((r) => r.type === 'compensation-owed');
    expect(owed?.data).toMatchObject({ stepId: 'allow-activation', undoes: 'move-databases' });
    const started = audit.filter((r) => r.type === 'action-started');
    const allow = started.find(
      (r) =>
        JSON.stringify(r.data.operation) ===
        JSON.stringify({
          kind: 'set-database-activation',
          server: 'SERVER2',
          mode: 'allow',
          restorePolicy: 'Unrestricted',
        }),
    );
    expect(allow).toBeDefined();
    const finished = audit.find((r) => r.type === 'action-finished' && r.data.approvalId === allow!.data.approvalId);
    expect(finished?.data).toMatchObject({ state: 'succeeded', ran: true });
    // It ran after the restart, which is what the put-back is for.
    const restartAt = started.findIndex((r) => (r.data.operation as { kind: string }).kind === 'restart-server');
    expect(started.indexOf(allow!)).toBeGreaterThan(restartAt);

    // Nothing is owed any more: now it closes.
    await h.click(h.button(h.lastCard('diagnosis'), /^Close incident$/), h.people.alice);
    expect(h.lastCard('diagnosis')?.title).toBe('IMAP on SERVER2: closed');
  });

  it('stays owed after escalation and an expired request, and a healthy monitor does not block it', async () => {
    let healthy = false;
    const h = await createHarness('imap-slow-commands', {
      wrapGateway: interceptRun(async (op, next) => {
        const result = await next();
        if (!healthy || op.kind !== 'get-server-health') return result;
        return (result as MonitorHealth[]).map((r) => ({ ...r, alertValue: 'Healthy' }));
      }),
    });
    await walkToRestart(h);
    await h.click(h.button(h.lastCard('diagnosis'), /^Escalate$/), h.people.alice);
    const escalated = h.lastCard('diagnosis')!;
    expect(escalated.title).toBe('IMAP on SERVER2: escalated');
    expect(cardText(h.lastCard('timeline'))).toMatch(/Still owed[\s\S]*Allow database activation on SERVER2 again/);

    // A request for it that expires leaves it owed.
    await h.click(h.button(escalated, /^Put back: Allow database activation/), h.people.alice);
    h.clock.advance(16 * 60_000);
    await h.engine.tick();
    expect((await h.store.listApprovals({ states: ['expired'] })).map((a) => a.stepId)).toContain('allow-activation');
    expect((await h.store.listIncidents(1))[0]!.owed).toHaveLength(1);

    // The monitor is healthy now (Get-ServerHealth says so); the compensation still runs.
    healthy = true;
    await h.click(h.button(h.lastCard('diagnosis'), /^Put back: Allow database activation/), h.people.alice);
    await approveAs(h, 'bob');
    expect(await activationBlocked(h)).toEqual({
      kind: 'set-database-activation',
      server: 'SERVER2',
      mode: 'allow',
      restorePolicy: 'Unrestricted',
    });
    expect((await h.store.listIncidents(1))[0]!.owed).toEqual([]);
  });

  it('can be dismissed only by an operator, on the record, and then the incident closes', async () => {
    const h = await createHarness('imap-slow-commands');
    await walkToRestart(h);
    await h.click(h.button(h.lastCard('diagnosis'), /^Escalate$/), h.people.alice);
    const card = h.lastCard('diagnosis')!;
    await h.click(h.button(card, /^Dismiss: Allow database activation/), h.people.bob);
    expect(cardText(h.privateTo('bob').at(-1))).toMatch(/operator/i);
    expect((await h.store.listIncidents(1))[0]!.owed).toHaveLength(1);

    await h.click(h.button(card, /^Dismiss: Allow database activation/), h.people.dave);
    const [incident] = await h.store.listIncidents(1);
    expect(incident!.owed).toEqual([]);
    const dismissed = (await h.store.readAudit({ incidentId: incident!.id })).filter(
      (r) => r.type === 'compensation-dismissed',
    );
    expect(dismissed).toHaveLength(1);
    expect(dismissed[0]!.actor?.displayName).toBe('dave');
    expect(dismissed[0]!.data).toMatchObject({
      stepId: 'allow-activation',
      operation: { kind: 'set-database-activation', mode: 'allow' },
    });
    // The lab still has activation blocked: a dismissal changes nothing on the server.
    expect(h.gateway.ran.filter((o) => o.kind === 'set-database-activation' && o.mode === 'allow')).toHaveLength(0);

    await h.click(h.button(h.lastCard('diagnosis'), /^Close incident$/), h.people.dave);
    expect(h.lastCard('diagnosis')?.title).toBe('IMAP on SERVER2: closed');
  });

  it('left without closing (abandoned), what is owed shows on the next incident about the same server', async () => {
    const h = await createHarness('imap-slow-commands');
    await walkToRestart(h);
    const [first] = await h.store.listIncidents(1);
    // A new question about the same server in another conversation: the earlier one is left as it is.
    await h.ask('imap on server2', h.people.dave, 'test:c2');
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain('An earlier incident on SERVER2 still owes 1 step that puts the server back:');
    expect(text).toContain(`Allow database activation on SERVER2 again (incident ${first!.id}; its card offers it)`);
  });
});
