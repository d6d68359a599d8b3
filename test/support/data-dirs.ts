/**
 * A bot's data directory and what it keeps beside it: the audit key and the audit anchors live
 * outside the directory on purpose (outside the database), so removing the folder alone would
 * leave them behind in /tmp.
 */
import { rmSync } from 'node:fs';

export function removeDataDir(dir: string): void {
  for (const path of [dir, `${dir}.audit-key`, `${dir}.audit-anchors`]) rmSync(path, { recursive: true, force: true });
}
