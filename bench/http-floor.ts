/**
 * The floor under the Slack acknowledgement figure: Node's own HTTP server, alone in a fresh
 * process started with the bot's V8 flags, answering the same burst of 200 signed events with a
 * 200 once each body is read, and doing nothing else: fresh, and after the warming the bot does
 * once it listens (src/wiring/warm-http.ts). What the bot adds to an acknowledgement is the
 * difference between it and the warmed floor; what is left is Node, the kernel and this machine.
 *
 * Run as a module it is that server: it prints its port on one line and serves until stdin ends.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { warmHttpPath } from '../src/wiring/warm-http.ts';
import { sendFromAnotherProcess, signedMentions } from './slack.ts';

/** Acknowledgement times (ms) of `events` signed events, answered by a bare server. */
export async function httpFloor(events: number, flags: readonly string[], warmed: boolean): Promise<number[]> {
  const child = spawn(
    process.execPath,
    [...flags, '--import', 'tsx', import.meta.filename, warmed ? 'warmed' : 'fresh'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the floor server exited with ${code}`)));
      child.stdout.setEncoding('utf8').once('data', (line: string) => resolve(line.trim()));
    });
    const results = await sendFromAnotherProcess(`http://127.0.0.1:${port}/slack/events`, signedMentions(events), 0);
    if (results.some((r) => r.status !== 200)) throw new Error('the floor server did not answer 200 to every request');
    return results.map((r) => r.ms);
  } finally {
    child.stdin.end();
  }
}

if (import.meta.filename === process.argv[1]) {
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 0 });
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', async () => {
    if (process.argv[2] === 'warmed') await warmHttpPath();
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  });
  process.stdin.resume().on('end', () => {
    server.closeAllConnections();
    server.close();
  });
}
