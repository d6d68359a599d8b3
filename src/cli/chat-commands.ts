/** The CLI commands that chat: ask, click, approve, reject, approvals, tick. */
import { randomUUID } from 'node:crypto';
import type { Approval } from '../core/index.ts';
import type { CliArgs } from './args.ts';
import type { Session } from './session.ts';
import { describeIncident, openSession } from './session.ts';
import { cardToText } from './text-card.ts';

export interface CommandResult {
  readonly exitCode: number;
  readonly output: string;
}

function messagesText(session: Session): string {
  return session.surface.messages
    .map((m) => (m.privateTo ? `(only ${m.privateTo} sees this)\n` : '') + cardToText(m.card))
    .join('\n\n');
}

function messagesJson(session: Session) {
  return session.surface.messages.map((m) => ({ ref: m.ref, privateTo: m.privateTo ?? null, card: m.card }));
}

async function withSession(args: CliArgs, run: (s: Session) => Promise<CommandResult>): Promise<CommandResult> {
  const session = await openSession(args);
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}

async function lastIncident(session: Session) {
  const state = await session.services.store.getConversation(session.conversation);
  return state?.lastIncidentId ? session.services.store.getIncident(state.lastIncidentId) : undefined;
}

export function ask(args: CliArgs, question: string): Promise<CommandResult> {
  return withSession(args, async (session) => {
    const { engine, catalogue, gateway, parser } = session.services;
    await engine.handle({
      kind: 'message',
      eventId: randomUUID(),
      conversation: session.conversation,
      actor: session.actor,
      text: question,
    });
    if (!args.json) return { exitCode: 0, output: messagesText(session) };
    const parsed = parser.parse(
      question,
      { healthSets: catalogue.healthSets, servers: await gateway.listServers() },
      {
        localeHint: session.services.translator.resolve(session.actor.locale),
      },
    );
    // Findings belong to the answer only when the question was about an incident.
    const aboutIncident = ['diagnose', 'rerun', 'status'].includes(parsed.intent.kind) && parsed.problems.length === 0;
    const described = await describeIncident(session, aboutIncident ? await lastIncident(session) : undefined);
    return {
      exitCode: 0,
      output: JSON.stringify(
        {
          intent: parsed.intent,
          locale: parsed.locale,
          problems: parsed.problems,
          ...described,
          messages: messagesJson(session),
        },
        null,
        2,
      ),
    };
  });
}

export function click(args: CliArgs, actionId: string): Promise<CommandResult> {
  return withSession(args, async (session) => {
    const { store, engine } = session.services;
    const offered = await store.getAction(actionId);
    const incident = offered ? await store.getIncident(offered.incidentId) : undefined;
    const before = incident ? await store.listApprovals({ incidentId: incident.id }) : [];
    // A click in the conversation the button was shown in; an unknown id is refused by the engine.
    await engine.handle({
      kind: 'action',
      eventId: randomUUID(),
      conversation: incident?.conversation ?? session.conversation,
      actor: session.actor,
      actionId,
    });
    const created = incident
      ? (await store.listApprovals({ incidentId: incident.id })).filter((a) => !before.some((b) => b.id === a.id))
      : [];
    const approval = created[0];
    const refused = session.surface.messages.some((m) => m.privateTo && m.card.severity !== 'info');
    const current = incident ? await store.getIncident(incident.id) : undefined;
    if (!args.json) {
      const extra = approval
        ? `\n\napproval requested: ${approval.id} (needs ${approval.requiredApprovals} approval(s))`
        : '';
      return { exitCode: refused ? 1 : 0, output: messagesText(session) + extra };
    }
    return {
      exitCode: refused ? 1 : 0,
      output: JSON.stringify(
        {
          approvalId: approval?.id ?? null,
          approval: approval ?? null,
          ...(await describeIncident(session, current)),
          messages: messagesJson(session),
        },
        null,
        2,
      ),
    };
  });
}

export function decide(args: CliArgs, approvalId: string, decision: 'approve' | 'reject'): Promise<CommandResult> {
  return withSession(args, async (session) => {
    const { store, engine } = session.services;
    const existing = await store.getApproval(approvalId);
    const incident = existing ? await store.getIncident(existing.incidentId) : undefined;
    const outcome = await engine.decide({
      approvalId,
      actor: session.actor,
      decision,
      ...(incident ? { conversation: incident.conversation } : {}),
    });
    const current = incident ? await store.getIncident(incident.id) : undefined;
    const approval: Approval | undefined = outcome.ok ? outcome.approval : await store.getApproval(approvalId);
    if (!args.json) {
      const head = outcome.ok
        ? `${decision === 'approve' ? 'approved' : 'rejected'}: approval ${approvalId} is now ${outcome.approval.state}`
        : `refused: ${outcome.message}`;
      return { exitCode: outcome.ok ? 0 : 1, output: `${head}\n\n${messagesText(session)}`.trim() };
    }
    return {
      exitCode: outcome.ok ? 0 : 1,
      output: JSON.stringify(
        {
          ok: outcome.ok,
          ...(outcome.ok ? {} : { reason: outcome.reason, message: outcome.message }),
          approval: approval ?? null,
          ...(await describeIncident(session, current)),
          messages: messagesJson(session),
        },
        null,
        2,
      ),
    };
  });
}

export function approvals(args: CliArgs): Promise<CommandResult> {
  return withSession(args, async (session) => {
    const states = args.state ? [args.state as Approval['state']] : undefined;
    const store = session.services.store;
    const list = await store.listApprovals(states ? { states } : {});
    // Compensations still owed are listed with the approvals: they are what is left to do.
    const owed =
      !args.state || args.state === 'owed'
        ? (await store.listIncidents(500)).flatMap((i) => (i.owed ?? []).map((o) => ({ incidentId: i.id, ...o })))
        : [];
    const shown = args.state === 'owed' ? [] : list;
    if (args.json)
      return {
        exitCode: 0,
        output: JSON.stringify([...shown, ...owed.map((o) => ({ state: 'owed', ...o }))], null, 2),
      };
    if (shown.length === 0 && owed.length === 0) return { exitCode: 0, output: 'no approvals' };
    const lines = shown.map(
      (a) =>
        `${a.id}  ${a.state.padEnd(15)} ${a.operation.kind} on ${a.operation.server}  by ${a.requester.displayName}  ${a.approvals.length}/${a.requiredApprovals}  expires ${a.expiresAt}`,
    );
    for (const o of owed) {
      const op = o.operation;
      const mode =
        'mode' in op
          ? ` ${op.mode}`
          : 'enabled' in op
            ? ` ${op.enabled ? 'on' : 'off'}`
            : op.kind === 'set-server-component-state'
              ? ` ${op.component} ${op.state}`
              : '';
      lines.push(
        `${o.incidentId}  ${'OWED'.padEnd(15)} ${o.operation.kind}${mode} on ${o.operation.server}  puts back ${o.undoes} (since ${o.since})`,
      );
    }
    return { exitCode: 0, output: lines.join('\n') };
  });
}

export function tick(args: CliArgs): Promise<CommandResult> {
  return withSession(args, async (session) => {
    const fired = await session.services.engine.tick();
    return {
      exitCode: 0,
      output: args.json ? JSON.stringify({ fired }) : `${fired} timer(s) fired\n${messagesText(session)}`.trim(),
    };
  });
}
