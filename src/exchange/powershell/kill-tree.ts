/**
 * Ends a process and everything it started. Needed because `pwsh` is not always PowerShell
 * itself: installed as a .NET tool (`dotnet tool install --global PowerShell`), it is a small
 * launcher that starts `dotnet pwsh.dll` as its child. Killing only the launcher leaves the real
 * PowerShell running, with the hung pipeline we meant to stop, as an orphan.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** The parent of each process, from /proc (Linux); empty where there is no /proc. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  if (!existsSync('/proc/self/stat')) return map;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (command name) state ppid ...": the name may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(entry), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

/** `pid` and its descendants, parents first. */
export function processTree(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const [child, parent] of parents()) byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(byParent.get(tree[i]!) ?? []));
  return tree;
}

/** Is the process still running? A zombie (ended, not yet reaped by its new parent) is not. */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * SIGKILL for the whole tree; the descendants are found before the launcher dies and loses
 * them. Resolves when none of them runs any more (or after `waitMs`: a process the kernel has
 * not finished with cannot be waited for without end).
 */
export async function killTree(pid: number, waitMs = 5000): Promise<void> {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  const tree = processTree(pid);
  for (const p of tree) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  // Processes that are not our children give no exit event: look again until they are gone.
  const until = Date.now() + waitMs;
  while (tree.some(running) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}
