/**
 * "Rerun" gets an answer of its own: the card says what the probe said this time ("probe rerun at
 * 04:02: still failing" or "now passing"), and keeps the previous result beside it, so a person
 * sees the change instead of a card that looks the same.
 */
import type { Actor } from '../model/event.ts';
import type { CheckRecord, Incident } from '../model/incident.ts';
import type { Section } from '../model/card.ts';
import type { Translate } from '../ports/i18n.ts';
import type { EngineContext } from './context.ts';
import { primaryFinding } from './diagnose.ts';
import { changeIncident } from './incident-updates.ts';
import { runDiagnosisFor } from './run-diagnosis.ts';
import { clockTime } from './views/format.ts';

/** The result of the incident's watched monitor as its last reading left it. */
function checkOf(incident: Incident, monitor: string | undefined, at: string, named?: string): CheckRecord {
  const finding = monitor ? incident.findings.find((f) => f.monitor === monitor) : undefined;
  const probe = finding?.probeResult
    ? `${finding.probeResult.healthSet}\\${finding.probeResult.probe}`
    : finding?.probe
      ? `${finding.probe.healthSet}\\${finding.probe.name}`
      : (named ?? monitor ?? incident.healthSet ?? incident.server);
  const outcome: CheckRecord['outcome'] =
    incident.status === 'failed' ? 'unread' : !finding || finding.verdict === 'transient' ? 'passing' : 'failing';
  return { at, probe, outcome };
}

export async function rerunWithAnswer(ctx: EngineContext, incident: Incident, actor: Actor): Promise<Incident> {
  const monitor = incident.ladder?.monitor ?? primaryFinding(incident.findings, incident.healthSet)?.monitor;
  // The first rerun also keeps what the diagnosis found, so two results are there to compare.
  const before = incident.checks ?? [
    checkOf(
      incident,
      monitor,
      primaryFinding(incident.findings, incident.healthSet)?.probeResult?.endedAt ?? incident.updatedAt,
    ),
  ];
  const after = await runDiagnosisFor(ctx, incident, actor);
  const previous = before.at(-1);
  // A monitor no longer failing has no finding left: it keeps the probe name it had.
  const now = checkOf(after, monitor, ctx.clock.now().toISOString(), previous?.probe);
  const key =
    now.outcome === 'unread'
      ? 'rerun.unread'
      : now.outcome === 'passing'
        ? 'rerun.nowPassing'
        : previous?.outcome === 'failing'
          ? 'rerun.stillFailing'
          : 'rerun.nowFailing';
  return changeIncident(ctx, incident.id, (i) => ({
    ...i,
    checks: [...before, now].slice(-2),
    // The diagnosis's own message (a failure, a missing set) wins: it says more than "still failing".
    ...(i.status === 'failed' && i.lastEvent
      ? {}
      : {
          lastEvent: {
            key,
            vars: { who: actor.displayName, probe: now.probe, time: clockTime(now.at, ctx.timeZone, i.locale) },
          },
        }),
  }));
}

/** The last two results, each with its time, on the card. */
export function checkHistorySections(t: Translate, incident: Incident, timeZone: string): Section[] {
  const checks = incident.checks ?? [];
  if (checks.length < 2) return [];
  const items = checks.map((c) =>
    t('rerun.historyItem', {
      time: clockTime(c.at, timeZone, incident.locale, incident.updatedAt),
      probe: c.probe,
      outcome: t(`rerun.outcome.${c.outcome}`),
    }),
  );
  return [
    { kind: 'text', text: t('rerun.history') },
    { kind: 'list', items },
  ];
}
