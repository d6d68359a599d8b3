/** Why an alert about a protocol that is not enabled on the server is noise, and what a person may do. */
import type { Section } from '../../model/card.ts';
import type { Incident } from '../../model/incident.ts';
import type { Translate } from '../../ports/i18n.ts';

export function noiseSections(t: Translate, incident: Incident): Section[] {
  const off = incident.notEnabled ?? [];
  const items = off.map((s) =>
    t(s.startType === 'Disabled' ? 'noise.disabled' : 'noise.manualStopped', {
      service: s.service,
      server: s.server,
      status: s.status,
    }),
  );
  const monitor = incident.ladder?.monitor ?? incident.findings[0]?.monitor ?? '';
  const healthSet = incident.findings.find((f) => f.monitor === monitor)?.healthSet ?? incident.healthSet ?? '';
  return [
    { kind: 'text', text: t('noise.explained', { subject: incident.healthSet ?? healthSet, server: incident.server }) },
    { kind: 'list', items },
    { kind: 'text', text: t('noise.whatNow') },
    // Shown, never run: a person decides whether the protocol should be on, or the monitor quiet.
    {
      kind: 'code',
      text: [
        ...off.map(
          (s) => `Get-Service -ComputerName ${s.server} -Name ${s.service} | Select-Object Name, Status, StartType`,
        ),
        `Add-ServerMonitoringOverride -Server ${incident.server} -Identity "${healthSet}\\${monitor}" -ItemType Monitor -PropertyName Enabled -PropertyValue 0 -Duration 7.00:00:00`,
      ].join('\n'),
    },
  ];
}
