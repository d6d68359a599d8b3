/**
 * One CLI command = one process = one short chat session: the configured services, a recording
 * surface standing in for the chat, and a lab persona as the person typing. State carries over
 * between commands only through the store (and the lab's state file), as it would between replicas.
 */
import type { Actor, ConversationRef, Incident } from '../core/index.ts';
import { changesState, ConfigError, describeEvidence, emsCommand } from '../core/index.ts';
import { loadConfig } from '../config.ts';
import type { Services } from '../wiring/services.ts';
import { buildServices } from '../wiring/services.ts';
import type { CliArgs } from './args.ts';
import { RecordingSurface } from './surface.ts';

export interface Session {
  readonly services: Services;
  readonly surface: RecordingSurface;
  readonly actor: Actor;
  readonly conversation: ConversationRef;
  close(): Promise<void>;
}

export async function openSession(args: CliArgs, env: NodeJS.ProcessEnv = process.env): Promise<Session> {
  const config = loadConfig(env, {
    ...(args.data ? { dataDir: args.data } : {}),
    ...(args.scenario ? { scenario: args.scenario } : {}),
  });
  const surface = new RecordingSurface();
  const services = await buildServices(config, {
    surfaces: () => surface,
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    holder: 'cli',
  });
  const id = args.as ?? 'alice';
  const persona = services.personas.find((p) => p.id === id);
  if (!persona) {
    await services.close();
    const known = services.personas.map((p) => p.id).join(', ') || 'none (personas exist only in the lab)';
    throw new ConfigError([`--as ${id}: no such persona. Known personas: ${known}`]);
  }
  const actor: Actor = {
    platform: 'lab',
    userId: persona.id,
    displayName: persona.displayName.replace(/\s*\(.*\)$/, ''),
    ...(persona.directoryId ? { directoryId: persona.directoryId } : {}),
    ...(persona.groups ? { groups: persona.groups } : {}),
    ...(args.lang ? { locale: args.lang } : {}),
  };
  return { services, surface, actor, conversation: `cli:${args.thread}`, close: () => services.close() };
}

/** The findings and buttons of an incident in the shape `--json` promises. */
export async function describeIncident(session: Session, incident: Incident | undefined) {
  if (!incident) return { incidentId: null, status: null, findings: [], actions: [] };
  const findings = incident.findings.map((f) => ({
    healthSet: f.healthSet,
    monitor: f.monitor,
    alertValue: f.alertValue,
    probe: f.probe ? `${f.probe.healthSet}\\${f.probe.name}` : null,
    probeResult: f.probeResult?.resultType ?? null,
    probeError: f.probeResult?.error ?? null,
    verdict: f.verdict,
    backend: f.backend
      ? { server: f.backend.server, unhealthy: f.backend.unhealthy.map((m) => `${m.healthSet}\\${m.monitor}`) }
      : null,
  }));
  const actions = [];
  for (const message of session.surface.messages) {
    if (message.privateTo) continue;
    for (const button of message.card.actions) {
      const offered = await session.services.store.getAction(button.id);
      if (!offered) continue;
      const c = offered.command;
      const operation = c.type === 'step' || c.type === 'fix' ? (c.operation ?? null) : null;
      actions.push({
        id: button.id,
        label: button.label,
        kind: c.type,
        ...(c.type === 'step' || c.type === 'fix' || c.type === 'manual' || c.type === 'jump'
          ? { stepId: c.stepId, monitor: c.monitor }
          : {}),
        ...(c.type === 'manual' ? { outcome: c.outcome } : {}),
        ...('approvalId' in c ? { approvalId: c.approvalId } : {}),
        operation,
        emsCommand: operation ? (emsCommand(operation) ?? null) : null,
        requiresApproval: operation ? changesState(operation) : false,
      });
    }
  }
  return {
    incidentId: incident.id,
    server: incident.server,
    healthSet: incident.healthSet ?? null,
    status: incident.status,
    ladder: incident.ladder ?? null,
    owed: incident.owed ?? [],
    findings,
    evidence: describeEvidence(incident),
    actions,
  };
}
