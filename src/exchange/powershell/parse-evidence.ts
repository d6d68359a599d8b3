/**
 * The evidence reads' answers (event XML and Get-MonitoringItemIdentity rows) into the model the
 * lab also returns. An event that is not one (no XML, no time) makes the answer unreadable:
 * a history we cannot read must not look like a quiet one.
 */
import type {
  MonitoringItemRow,
  ProbeHistory,
  ProbeHistoryEntry,
  RecoveryAction,
  ServerInfo,
  WindowsEvent,
  WindowsEventKind,
} from '../../core/index.ts';
import type { EventRecord } from './event-xml.ts';
import { readEventXml } from './event-xml.ts';
import { asArray, asRow, badOutput, field, instant, probeResultType, text } from './values.ts';

function events(values: readonly unknown[], what: string, server: string): EventRecord[] {
  return values.map((value) => {
    const xml = typeof value === 'string' ? value : text(field(asRow(value, what), 'Xml'));
    const record = xml ? readEventXml(xml) : undefined;
    if (!record) throw badOutput(`${what}: an entry that is not event XML`, server);
    return record;
  });
}

const firstLine = (s: string | undefined, max = 300) =>
  s
    ?.split(/\r?\n/)
    .find((l) => l.trim())
    ?.trim()
    .slice(0, max);

/** DateTime.MinValue is how an unfinished action's EndTime is logged. */
const realInstant = (value: string | undefined) => {
  const at = instant(value);
  return at && !at.startsWith('0001-') ? at : undefined;
};

/** One action logs a Started and a Finished event with the same InstanceId; the later one tells how it ended. */
export function parseRecoveryActions(data: unknown, server: ServerInfo): RecoveryAction[] {
  const byInstance = new Map<string, RecoveryAction>();
  for (const e of events(asArray(data), 'a RecoveryActionResults event', server.name)) {
    const f = e.fields;
    const action = f.Id ?? f.ActionId;
    const startedAt = realInstant(f.StartTime) ?? instant(e.timeCreated);
    if (!action || !startedAt) throw badOutput('a RecoveryActionResults event without its action or time', server.name);
    const exceptionName = f.ExceptionName;
    const exceptionText = [exceptionName, firstLine(f.ExceptionMessage)].filter(Boolean).join(': ');
    const endedAt = realInstant(f.EndTime);
    const entry: RecoveryAction = {
      server: server.name,
      action,
      ...(f.ResourceName ? { resource: f.ResourceName } : {}),
      ...(f.RequestorName ? { requester: f.RequestorName } : {}),
      ...(f.State ? { state: f.State } : {}),
      ...(f.Result ? { result: f.Result } : {}),
      startedAt,
      ...(endedAt ? { endedAt } : {}),
      ...(exceptionText ? { exception: exceptionText } : {}),
      throttled: /throttl/i.test(`${exceptionText} ${f.Result ?? ''} ${f.State ?? ''}`),
    };
    const key = f.InstanceId ?? `${action}|${f.ResourceName ?? ''}|${startedAt}`;
    const seen = byInstance.get(key);
    // The Finished event wins over the Started one, whichever order the log returned them in.
    if (!seen || (seen.state !== 'Finished' && entry.state === 'Finished') || (!seen.endedAt && entry.endedAt))
      byInstance.set(key, entry);
  }
  return [...byInstance.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export function parseProbeHistory(data: unknown, server: ServerInfo): ProbeHistory {
  const rows = asArray(data);
  if (rows.length === 0) throw badOutput('the probe history: Exchange returned nothing', server.name);
  const row = asRow(rows[0], 'the probe history');
  const resultNames = asArray(field(row, 'ResultNames'))
    .map((n) => text(n))
    .filter((n): n is string => n !== undefined);
  const entries: ProbeHistoryEntry[] = events(asArray(field(row, 'Events')), 'a ProbeResult event', server.name).map(
    (e) => {
      const f = e.fields;
      const resultType = probeResultType(f.ResultType);
      const at = instant(f.ExecutionStartTime) ?? instant(e.timeCreated);
      if (!f.ResultName || !resultType || !at)
        throw badOutput(`a ProbeResult event without ResultName, ResultType or time`, server.name);
      const error = firstLine(f.Error);
      return { resultName: f.ResultName, resultType, at, ...(error ? { error } : {}) };
    },
  );
  return { server: server.name, resultNames, entries: entries.sort((a, b) => a.at.localeCompare(b.at)) };
}

/** Which of the events asked for this is, by id and provider: an id alone is reused by other providers. */
function kindOf(id: number | undefined, provider: string | undefined): WindowsEventKind | undefined {
  const p = (provider ?? '').toLowerCase();
  if ((id === 7031 || id === 7034) && p === 'service control manager') return 'service-crash';
  if (id === 1074 && p === 'user32') return 'restart-by';
  if ((id === 6008 && p === 'eventlog') || (id === 41 && p === 'microsoft-windows-kernel-power'))
    return 'unexpected-shutdown';
  if ((id === 5002 || id === 5011 || id === 5013) && p === 'microsoft-windows-was') return 'app-pool-failure';
  if (id === 4999 && p === 'msexchange common') return 'watson';
  return undefined;
}

function subjectAndDetail(
  kind: WindowsEventKind,
  e: EventRecord,
): { subject?: string | undefined; detail?: string | undefined } {
  const f = e.fields;
  switch (kind) {
    case 'service-crash':
      return { subject: f.param1 };
    case 'restart-by':
      // param1 process, param3 reason, param5 restart or power off, param6 comment, param7 user.
      return { subject: f.param7, detail: [f.param5, f.param6 ?? f.param3].filter(Boolean).join(': ') || undefined };
    case 'unexpected-shutdown': {
      const code = Number(f.BugcheckCode ?? 0);
      return { detail: code > 0 ? `bugcheck 0x${code.toString(16)}` : undefined };
    }
    case 'app-pool-failure':
      return { subject: f.AppPoolID ?? f.AppPoolId };
    case 'watson': {
      // "E12IIS, c-RTL-AMD64, <build>, <process>, <module>, <method>, <exception>, ..."
      const params = (e.strings.find((s) => s.includes(',')) ?? '').split(/,\s*/);
      return { subject: params[3], detail: params.find((p) => /Exception$/.test(p)) };
    }
  }
}

export function parseWindowsEvents(data: unknown, server: ServerInfo): WindowsEvent[] {
  const out: WindowsEvent[] = [];
  for (const e of events(asArray(data), 'a Windows event', server.name)) {
    const at = instant(e.timeCreated);
    if (!at || e.id === undefined) throw badOutput('a Windows event without its id or time', server.name);
    const kind = kindOf(e.id, e.provider);
    if (!kind) continue;
    const { subject, detail } = subjectAndDetail(kind, e);
    out.push({
      server: server.name,
      kind,
      id: e.id,
      provider: e.provider!,
      at,
      ...(subject ? { subject } : {}),
      ...(detail ? { detail: detail.slice(0, 200) } : {}),
    });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

export function parseMonitoringItemRows(data: unknown, server: ServerInfo, healthSet: string): MonitoringItemRow[] {
  return asArray(data).map((item) => {
    const row = asRow(item, 'a Get-MonitoringItemIdentity row');
    // Identity is <HealthSet>\<Name>\<TargetResource>; the separate properties are missing on some builds.
    const [setFromId, nameFromId, targetFromId] = (text(field(row, 'Identity')) ?? '').split('\\');
    const name = text(field(row, 'Name')) ?? nameFromId;
    const itemType = text(field(row, 'ItemType'));
    if (!name || !itemType) throw badOutput('a monitoring item without Name or ItemType', server.name);
    const target = text(field(row, 'TargetResource')) ?? (targetFromId || undefined);
    return {
      server: server.name,
      healthSet: text(field(row, 'HealthSetName')) ?? setFromId ?? healthSet,
      itemType,
      name,
      ...(target ? { targetResource: target } : {}),
    };
  });
}
