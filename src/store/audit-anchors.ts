/**
 * The anchor file: one JSON line per anchor (the chain's head: sequence number, MAC, when, why),
 * appended by the bot and read by `healthbot audit verify`. It lives outside the database (by
 * default beside the data directory, `<data dir>.audit-anchors`), so deleting the newest records
 * from the database leaves an anchor naming a record that is gone.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AnchorPoint } from './audit-chain.ts';
import { parseAnchor } from './audit-chain.ts';

export interface AnchorLine extends AnchorPoint {
  readonly reason?: string;
  readonly incidentId?: string;
}

export async function appendAnchor(file: string, anchor: AnchorLine): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
}

/** Every well-formed anchor in the file; a missing file has none. Lines that are not anchors are reported. */
export async function readAnchors(file: string): Promise<{ anchors: AnchorLine[]; unreadable: number }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { anchors: [], unreadable: 0 };
    throw err;
  }
  const anchors: AnchorLine[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as Partial<AnchorLine>;
      const point =
        typeof value.seq === 'number' && typeof value.hash === 'string'
          ? parseAnchor(`${value.seq}:${value.hash}`)
          : undefined;
      if (!point) throw new Error('not an anchor');
      anchors.push({
        ...point,
        ...(typeof value.at === 'string' ? { at: value.at } : {}),
        ...(typeof value.reason === 'string' ? { reason: value.reason } : {}),
      });
    } catch {
      unreadable++;
    }
  }
  return { anchors, unreadable };
}
