/**
 * The sending side of the Slack benchmark, in its own process so that its CPU does not count as
 * the bot's. It reads `{ url, requests: [{ body, headers }], spreadMs? }` on stdin, opens one TCP connection per
 * request first, then writes every pre-built request back to back (a few microseconds apart, as a
 * burst from Slack's side arrives), and prints each one's time to the first byte of the answer
 * (ms) and its status as JSON. `fetch` would measure itself: it cannot start 200 requests at once.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const {
  url,
  requests,
  spreadMs = 0,
} = JSON.parse(input) as {
  url: string;
  requests: { body: string; headers: Record<string, string> }[];
  spreadMs?: number;
};
const target = new URL(url);

const raw = requests.map(({ body, headers }) => {
  const lines = [
    `POST ${target.pathname} HTTP/1.1`,
    `Host: ${target.host}`,
    'Connection: close',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
});

const sockets: Socket[] = await Promise.all(
  raw.map(
    () =>
      new Promise<Socket>((resolve, reject) => {
        const s = connect(Number(target.port), target.hostname, () => resolve(s));
        s.once('error', reject);
      }),
  ),
);

const results = await new Promise<{ ms: number; status: number }[]>((resolve) => {
  const out: { ms: number; status: number }[] = new Array(raw.length);
  let done = 0;
  sockets.forEach((s, i) => {
    let started = 0;
    let seen = false;
    s.on('data', (chunk: Buffer) => {
      if (seen) return;
      seen = true;
      out[i] = {
        ms: performance.now() - started,
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 0),
      };
      s.destroy();
      if (++done === raw.length) resolve(out);
    });
    // Written in the loop below; `started` is set right before each write.
    (s as Socket & { start?: () => void }).start = () => {
      started = performance.now();
      s.write(raw[i]!);
    };
  });
  // All at once, or evenly over `spreadMs` (a storm as Slack delivers it, a few per millisecond).
  sockets.forEach((s, i) => {
    const start = (s as Socket & { start: () => void }).start;
    if (spreadMs > 0) setTimeout(start, (i * spreadMs) / sockets.length);
    else start();
  });
});
process.stdout.write(JSON.stringify(results));
