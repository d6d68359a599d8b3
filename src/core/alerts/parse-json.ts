/**
 * JSON senders: Prometheus Alertmanager's webhook (version 4), our own small shape, and the SCOM
 * command channel's payload (what scripts/scom-alert-to-healthbot.ps1 sends). Each reader checks
 * the fields it needs and says which one is missing, so a sender sees why it was refused.
 */
import type { Alert, AlertParse, AlertState } from './alert.ts';
import { isoTime, keepText, parsed, shortServerName, unparseable } from './alert.ts';

type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Monitor names come as `ImapCTPMonitor` or `IMAP\ImapCTPMonitor\target`: the monitor is the middle part. */
export function monitorName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const parts = value.split(/[\\/]/).filter(Boolean);
  return parts.length >= 2 ? parts[1] : parts[0];
}

/**
 * Alertmanager v4: `{version: "4", status, alerts: [{status, labels, annotations, startsAt,
 * endsAt, fingerprint}]}`. Labels carry the names; which label is which is a convention, so the
 * usual spellings are accepted (server/instance/host, health_set/healthset/healthSet, monitor).
 */
export function parseAlertmanager(body: Json, now: Date): AlertParse {
  if (String(body.version) !== '4')
    return unparseable(`Alertmanager webhook version ${String(body.version)} is not supported (version 4 is)`);
  if (!Array.isArray(body.alerts) || body.alerts.length === 0)
    return unparseable('Alertmanager webhook without alerts');
  const common = isObject(body.commonLabels) ? body.commonLabels : {};
  const alerts: Alert[] = [];
  for (const [i, raw] of body.alerts.entries()) {
    if (!isObject(raw)) return unparseable(`alerts[${i}] is not an object`);
    const labels = { ...common, ...(isObject(raw.labels) ? raw.labels : {}) };
    const annotations = isObject(raw.annotations) ? raw.annotations : {};
    const pick = (...names: string[]) => names.map((n) => text(labels[n])).find(Boolean);
    const server = pick('server', 'exchange_server', 'host', 'hostname', 'instance');
    const healthSet = pick('health_set', 'healthset', 'healthSet', 'health_set_name');
    if (!server) return unparseable(`alerts[${i}] has no server label (server, host or instance)`);
    if (!healthSet) return unparseable(`alerts[${i}] has no health_set label`);
    const status = text(raw.status) ?? text(body.status);
    if (status !== 'firing' && status !== 'resolved')
      return unparseable(`alerts[${i}] has status ${String(status)} (firing or resolved expected)`);
    const state: AlertState = status === 'firing' ? 'raised' : 'cleared';
    const monitor = monitorName(pick('monitor', 'monitor_name'));
    const summary = [text(labels.alertname), text(annotations.summary), text(annotations.description)]
      .filter(Boolean)
      .join('\n');
    const fingerprint = text(raw.fingerprint);
    const startsAt = text(raw.startsAt);
    alerts.push({
      server: shortServerName(server.replace(/:\d+$/, '')),
      healthSet,
      ...(monitor ? { monitor } : {}),
      state,
      at: isoTime(state === 'raised' ? raw.startsAt : raw.endsAt, now),
      source: 'alertmanager',
      text: keepText(summary || `${healthSet} ${status} on ${server}`),
      ...(fingerprint ? { deliveryId: `am:${fingerprint}:${startsAt ?? ''}:${state}` } : {}),
    });
  }
  return parsed(alerts);
}

/** Our own shape: `{server, healthSet, monitor?, state: raised|cleared, text?, at?, id?}`, or a list of them. */
export function parseOwn(body: Json, now: Date, index?: number): AlertParse {
  const where = index === undefined ? '' : `[${index}] `;
  const server = text(body.server);
  const healthSet = text(body.healthSet);
  if (!server) return unparseable(`${where}server is missing`);
  if (!healthSet) return unparseable(`${where}healthSet is missing`);
  if (body.state !== 'raised' && body.state !== 'cleared')
    return unparseable(`${where}state must be "raised" or "cleared"`);
  if (body.monitor !== undefined && !text(body.monitor))
    return unparseable(`${where}monitor must be a non-empty string when given`);
  if (body.text !== undefined && typeof body.text !== 'string')
    return unparseable(`${where}text must be a string when given`);
  const monitor = monitorName(text(body.monitor));
  const id = text(body.id);
  return parsed([
    {
      server: shortServerName(server),
      healthSet,
      ...(monitor ? { monitor } : {}),
      state: body.state,
      at: isoTime(body.at, now),
      source: 'healthbot',
      text: keepText(text(body.text) ?? `${healthSet} ${body.state} on ${server}`),
      ...(id ? { deliveryId: `own:${id}:${body.state}` } : {}),
    },
  ]);
}

/**
 * The SCOM command channel's payload. SCOM hands the channel `$Data/Context/...` parameters; the
 * script sends them under these names. An alert of the Exchange management pack names the health
 * set in its monitoring object (`IMAP - SERVER1` style paths) or its name, and the server in the
 * path or NetBIOS computer name. ResolutionState 255 is Closed: the alert cleared.
 */
export function parseScom(body: Json, now: Date): AlertParse {
  const name = text(body.AlertName) ?? '';
  const description = text(body.AlertDescription) ?? '';
  const server = text(body.NetbiosComputerName) ?? text(body.PrincipalName) ?? text(body.MonitoringObjectPath);
  if (!server) return unparseable('SCOM alert without NetbiosComputerName, PrincipalName or MonitoringObjectPath');
  const healthSet = text(body.HealthSet) ?? text(body.MonitoringObjectName) ?? healthSetFromTitle(name);
  if (!healthSet)
    return unparseable(
      'SCOM alert names no health set (HealthSet, MonitoringObjectName or an alert name like "IMAP health set unhealthy")',
    );
  const resolution = String(body.ResolutionState ?? '0');
  const state: AlertState = resolution === '255' || /^closed$/i.test(resolution) ? 'cleared' : 'raised';
  const monitor = monitorName(text(body.MonitorName) ?? monitorFromText(description));
  const id = text(body.AlertId);
  return parsed([
    {
      server: shortServerName(server),
      healthSet: healthSet.replace(/\s+health\s*set$/i, ''),
      ...(monitor ? { monitor } : {}),
      state,
      at: isoTime(state === 'raised' ? body.TimeRaised : (body.TimeResolved ?? body.LastModified), now),
      source: 'scom',
      text: keepText([name, description].filter(Boolean).join('\n')),
      ...(id ? { deliveryId: `scom:${id}:${resolution}` } : {}),
    },
  ]);
}

/** "IMAP health set unhealthy", "ECP.Proxy Health Set unhealthy (…)" → the health set. */
export function healthSetFromTitle(title: string): string | undefined {
  return /([A-Za-z][\w.]*)\s+health\s*set\b/i.exec(title)?.[1];
}

/** A monitor named in free text: the first word ending in `Monitor` (`ImapCTPMonitor`). */
export function monitorFromText(value: string): string | undefined {
  return /\b([A-Z][A-Za-z0-9.]*Monitor)\b/.exec(value)?.[1];
}

/** Picks the reader by the document's shape. */
export function parseJsonAlert(body: unknown, now: Date): AlertParse {
  if (Array.isArray(body)) {
    if (body.length === 0) return unparseable('an empty list of alerts');
    const alerts: Alert[] = [];
    for (const [i, item] of body.entries()) {
      if (!isObject(item)) return unparseable(`[${i}] is not an object`);
      const one = parseOwn(item, now, i);
      if (!one.ok) return one;
      alerts.push(...one.alerts);
    }
    return parsed(alerts);
  }
  if (!isObject(body)) return unparseable('the body is neither an alert object nor a list of alerts');
  if ('alerts' in body && 'version' in body) return parseAlertmanager(body, now);
  if ('AlertName' in body || 'AlertId' in body) return parseScom(body, now);
  if ('healthSet' in body || 'server' in body || 'state' in body) return parseOwn(body, now);
  return unparseable('unknown JSON shape: expected Alertmanager v4, a SCOM alert or {server, healthSet, state}');
}
