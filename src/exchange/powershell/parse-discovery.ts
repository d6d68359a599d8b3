/**
 * The discovery script's answer into the model: health sets and their monitoring items. Tolerant
 * of what Exchange builds vary in (an item type spelt differently, a set named on the item only),
 * strict about what cannot be understood (an item without a name is bad output, not skipped).
 */
import type { MonitoringItem, MonitoringItems, MonitoringItemType, ServerInfo } from '../../core/index.ts';
import { MONITORING_ITEM_TYPES } from '../../core/index.ts';
import { asArray, asRow, badOutput, field, text } from './values.ts';

function itemType(raw: string | undefined): MonitoringItemType {
  const found = MONITORING_ITEM_TYPES.find((t) => t.toLowerCase() === raw?.toLowerCase());
  return found ?? 'Other';
}

export function parseMonitoringItems(
  data: unknown,
  server: ServerInfo,
  asked: readonly string[] | undefined,
): MonitoringItems {
  const rows = asArray(data);
  if (rows.length === 0) throw badOutput('Get-MonitoringItemIdentity: Exchange returned nothing', server.name);
  const top = asRow(rows[0], 'the monitoring items');
  const sets = asArray(field(top, 'HealthSets'))
    .map((s) => text(s))
    .filter((s): s is string => Boolean(s));
  const items: MonitoringItem[] = [];
  for (const entry of asArray(field(top, 'Items'))) {
    const row = asRow(entry, 'a monitoring item');
    const name = text(field(row, 'Name'));
    const healthSet = text(field(row, 'HealthSetName', 'HealthSet'));
    if (!name || !healthSet) throw badOutput('a monitoring item without Name or HealthSetName', server.name);
    const target = text(field(row, 'TargetResource'));
    items.push({
      healthSet,
      name,
      itemType: itemType(text(field(row, 'ItemType'))),
      ...(target ? { targetResource: target } : {}),
    });
  }
  // A set that has items is reported, whether or not the health report named it.
  const healthSets = [...new Set([...(sets.length > 0 ? sets : (asked ?? [])), ...items.map((i) => i.healthSet)])];
  return { server: server.name, healthSets, items };
}
