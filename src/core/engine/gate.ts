/**
 * The back-end gate. A probe that names its back end (the CTP probe's `_Mbx:` server) lets the
 * engine check that server first: while it is unhealthy, the Client Access steps marked
 * `backendHealthy` are not offered, the card says why, and a button opens the back end's own
 * ladder (in place, on the same card, when a runbook knows the back end's monitor: backend-ladder.ts).
 * When the probe names no back end, the card says which back-end steps are left out
 * instead of dropping them silently.
 */
import type { Section } from '../model/card.ts';
import type { Incident } from '../model/incident.ts';
import type { Translate } from '../ports/i18n.ts';
import type { LadderContext } from './ladder.ts';
import { gatedFinding } from './backend-ladder.ts';

export interface GateView {
  readonly sections: Section[];
  readonly switchTo?: { readonly server: string; readonly healthSet: string };
}

export function gateView(t: Translate, incident: Incident, ladder: LadderContext): GateView | undefined {
  // Switched in place: this card walks the back end's own ladder, and says why.
  const switched = gatedFinding(incident);
  if (switched?.backend) {
    return {
      sections: [
        {
          kind: 'text',
          text: t('gate.switched', {
            server: switched.backend.server,
            monitor: ladder.monitor.name,
            healthSet: ladder.monitor.healthSet,
            from: switched.monitor,
            monitors: switched.backend.unhealthy.map((m) => `${m.healthSet} ${m.monitor}`).join(', '),
          }),
        },
      ],
    };
  }
  const marker = ladder.probe?.backend?.marker;
  if (!marker) return undefined;
  const finding = incident.findings.find((f) => f.monitor === ladder.monitor.name);
  const gated = ladder.monitor.ladder.filter((s) => s.when?.backendHealthy);
  if (ladder.backendUnhealthy && finding?.backend) {
    const first = finding.backend.unhealthy[0]!;
    return {
      sections: [
        {
          kind: 'text',
          text: t('gate.backendFirst', {
            server: finding.backend.server,
            count: gated.length,
            monitors: finding.backend.unhealthy.map((m) => `${m.healthSet} ${m.monitor}`).join(', '),
          }),
        },
      ],
      switchTo: { server: finding.backend.server, healthSet: first.healthSet },
    };
  }
  if (!ladder.backend && finding?.verdict === 'confirmed') {
    const skipped = ladder.monitor.ladder.filter(
      (s) => (s.kind === 'check' || s.kind === 'action') && s.target === 'backend',
    );
    if (skipped.length === 0) return undefined;
    return {
      sections: [
        {
          kind: 'text',
          text: t('gate.noBackend', {
            marker,
            probe: `${ladder.probe!.healthSet}\\${ladder.probe!.name}`,
            count: skipped.length,
          }),
        },
        {
          kind: 'list',
          items: skipped.map((s) =>
            t('gate.skipped', {
              id: s.id,
              operation: s.kind === 'check' || s.kind === 'action' ? s.operation : s.kind,
            }),
          ),
        },
      ],
    };
  }
  return undefined;
}
