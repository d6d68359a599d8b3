/**
 * The bot and the CLI as whole processes, the way a person starts them (`npm start`,
 * `npx healthbot`), for the start-time, memory and CLI figures. Each bot gets its own port and
 * data folder; the process that runs the bot is found under npm's, so its memory is the bot's own.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { ROOT } from './engine.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const children = (pid: number): number[] => {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
};

/** Resident memory of one process in MiB (0 when it is gone). */
export function rssMiB(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) used so far by a process and its live descendants. */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  const walk = (p: number) => {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      return;
    }
    for (const c of children(p)) walk(c);
  };
  walk(pid);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** The process in the tree under `pid` that holds the most memory: the bot, not npm or sh. */
function largestDescendant(pid: number): number {
  let best = pid;
  const walk = (p: number) => {
    if (rssMiB(p) > rssMiB(best)) best = p;
    for (const c of children(p)) walk(c);
  };
  walk(pid);
  return best;
}

export interface RunningBot {
  readonly url: string;
  /** Milliseconds from spawning the command until GET / answered 200. */
  readonly startMs: number;
  /** CPU seconds the command's processes had used by then (steadier than wall time on a busy machine). */
  readonly startCpu: number;
  readonly botPid: () => number;
  stop(): Promise<void>;
}

export async function startBot(
  env: Record<string, string>,
  cwd = ROOT,
  command: readonly string[] = ['npm', 'start'],
  timeoutMs = 120_000,
): Promise<RunningBot> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`the bot exited before it answered: ${stderr.slice(-500)}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`the bot did not answer in ${timeoutMs} ms: ${stderr.slice(-500)}`);
    }
    const ok = await fetch(`${url}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const startMs = performance.now() - started;
  const startCpu = treeCpuSeconds(child.pid!);
  const botPid = () => largestDescendant(child.pid!);
  return {
    url,
    startMs,
    startCpu,
    botPid,
    async stop() {
      // SIGTERM to the bot itself: it anchors the audit head, closes the database and exits.
      process.kill(botPid(), 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs a whole command to its end under /usr/bin/time: its wall time in milliseconds, the CPU
 * seconds of it and its children, and its exit code.
 */
export function timeCommand(
  command: readonly string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<{ ms: number; cpu: number; code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'healthbot-bench-cpu %U %S', ...command], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('error', reject);
    child.once('close', (code) => {
      const cpu = /healthbot-bench-cpu ([\d.]+) ([\d.]+)/.exec(output);
      resolve({
        ms: performance.now() - started,
        cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN,
        code,
        output,
      });
    });
  });
}

/** A number from the bot's Prometheus page (the first sample of that name). */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : Number.NaN;
}
