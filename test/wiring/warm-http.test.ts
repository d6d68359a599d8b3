/**
 * Warming the HTTP path: the requests it sends are answered, and it holds nothing that keeps a
 * process alive (a bot asked to stop while warming must not wait for it).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warmHttpPath } from '../../src/wiring/warm-http.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('warmHttpPath', () => {
  it('sends its requests through a throwaway loopback server, all answered, in rounds', async () => {
    expect(await warmHttpPath({ requests: 25, concurrency: 10 })).toBe(25);
    expect(await warmHttpPath({ requests: 3, concurrency: 10 })).toBe(3);
  });

  it('leaves no server or socket open behind it', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap');
    await warmHttpPath({ requests: 20 });
    const after = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap');
    expect(after.length).toBeLessThanOrEqual(before.length);
  });

  it('does not keep a process alive: one that ends its other work exits while warming', async () => {
    // The child starts warming and does nothing else; it must exit by itself, with the warming unfinished.
    const script = `import { warmHttpPath } from './src/wiring/warm-http.ts';
      let done = false;
      void warmHttpPath({ requests: 100000 }).then(() => (done = true));
      process.on('exit', () => process.stdout.write(done ? 'finished' : 'left unfinished'));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(out).toBe('left unfinished');
  });
});
