/**
 * An HTTP request that is already in the server's socket while the test's code keeps the event
 * loop busy: the client connects first (the server has seen the connection), and `send()` writes
 * the whole request synchronously. Whether the server answers it before the busy code's next step
 * then depends only on whether that code gives the event loop a turn in between, which is what
 * the tests using this ask. `log` records the answer among the test's own entries, in order.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface WaitingRequest {
  /** Writes the request; the server logs `answered` when its handler runs. */
  send(): void;
  /** Resolves once the handler has answered. */
  readonly answered: Promise<void>;
  close(): Promise<void>;
}

export async function waitingRequest(log: string[]): Promise<WaitingRequest> {
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  let connected!: () => void;
  const seen = new Promise<void>((resolve) => (connected = resolve));
  const server: Server = createServer((_req, res) => {
    log.push('answered');
    res.end('ok');
    answer();
  });
  server.on('connection', () => connected());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  await seen;
  return {
    send: () => void socket.write('POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
    answered,
    async close() {
      socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
