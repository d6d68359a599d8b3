/**
 * Reads a request body as bytes, up to a limit. Slack needs the raw bytes for its signature and
 * Teams parses its own JSON, so neither can use a body parser mounted in front of them; both
 * read through this, and both refuse an oversized body the same way (413) without buffering it.
 */
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  readonly status = 413;
  constructor(limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Resolves with the whole body; rejects with BodyTooLargeError as soon as the declared length or
 * the bytes received pass `limit` (the request is then destroyed: nothing more is read), or with
 * the stream's own error.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLargeError(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        reject(new BodyTooLargeError(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!over) reject(err);
    });
  });
}
