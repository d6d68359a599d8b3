/**
 * Warming the HTTP path at start, so that the first burst of platform requests is acknowledged at
 * the speed of later ones.
 *
 * V8 compiles the code a request runs through (Node's HTTP parser callbacks, the request and
 * response objects, socket writes and closes) once it has run often enough. A fresh process
 * therefore answers its first few hundred requests at about half the speed of a warm one: Node's
 * own HTTP server alone answered a burst of 200 with a p99 of 61 ms fresh and 32 ms after 200
 * requests of its own (bench/http-floor.ts, five runs each). A burst is likeliest just after a
 * start, when Slack delivers again what failed while the bot was down.
 *
 * So, once the bot listens, it sends itself some requests on a throwaway server on loopback: the
 * same Node code runs as for a platform's request, with none of the bot's (nothing reaches an
 * adapter, a metric or the log). It runs after the bot is ready, holds no handle that keeps the
 * process alive, and a failure costs nothing but the warming.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WarmOptions {
  /** How many requests in all; 200 brought the p99 above to its warm value. */
  readonly requests?: number;
  /** How many at once. */
  readonly concurrency?: number;
}

/** A body about the size of a Slack event or a Teams activity. */
const BODY = Buffer.alloc(1_500, 'x');

/** Resolves with how many requests were answered. */
export async function warmHttpPath(options: WarmOptions = {}): Promise<number> {
  const total = options.requests ?? 200;
  const concurrency = options.concurrency ?? 10;
  let answered = 0;
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      answered++;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 0 });
      res.end();
    });
  });
  server.unref();
  server.on('connection', (socket) => socket.unref());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/warm',
          headers: { connection: 'close', 'content-type': 'application/json', 'content-length': BODY.length },
        },
        (res) => res.resume().on('end', resolve).on('error', reject),
      );
      req.on('socket', (socket) => socket.unref()).on('error', reject);
      req.end(BODY);
    });
  try {
    for (let sent = 0; sent < total; sent += concurrency)
      await Promise.all(Array.from({ length: Math.min(concurrency, total - sent) }, one));
    return answered;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
