/**
 * The two icons of the Teams app package, drawn here instead of committed as binaries: a pulse
 * line (a heartbeat: the bot checks health). Teams wants a 192×192 colour icon (the symbol inside
 * the middle 120×120) and a 32×32 outline icon that is white on transparent.
 *
 * A minimal PNG writer: 8-bit RGBA, no interlace, each row with filter 0, zlib-compressed.
 */
import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32.ts';

type Rgba = readonly [number, number, number, number];
type Point = readonly [number, number];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes `pixels` (width × height RGBA, row by row) as a PNG file. */
export function encodePng(width: number, height: number, pixels: Uint8Array): Buffer {
  if (pixels.length !== width * height * 4) throw new Error('pixel buffer does not match the size');
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0;
    Buffer.from(pixels.buffer, pixels.byteOffset + y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function distanceToSegment(px: number, py: number, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Draws a polyline of the given width over a background, anti-aliased by distance. */
function drawPulse(size: number, background: Rgba, ink: Rgba, line: readonly Point[], width: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let d = Infinity;
      for (let i = 1; i < line.length; i++)
        d = Math.min(d, distanceToSegment(x + 0.5, y + 0.5, line[i - 1]!, line[i]!));
      const cover = Math.max(0, Math.min(1, width / 2 + 0.5 - d));
      const o = (y * size + x) * 4;
      // Straight alpha "over": ink on the background, which may itself be transparent.
      const a = cover * (ink[3] / 255) + (background[3] / 255) * (1 - cover * (ink[3] / 255));
      for (let c = 0; c < 3; c++) {
        const mixed =
          a === 0
            ? 0
            : (ink[c]! * cover * (ink[3] / 255) +
                background[c]! * (background[3] / 255) * (1 - cover * (ink[3] / 255))) /
              a;
        pixels[o + c] = Math.round(mixed);
      }
      pixels[o + 3] = Math.round(a * 255);
    }
  }
  return pixels;
}

const PULSE: readonly Point[] = [
  [0.0, 0.5],
  [0.28, 0.5],
  [0.38, 0.22],
  [0.52, 0.8],
  [0.64, 0.34],
  [0.72, 0.5],
  [1.0, 0.5],
];

/** 192×192, white pulse on the accent colour, the symbol within the central 120×120. */
export function colorIcon(accent: string): Buffer {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16)) as [number, number, number];
  const line = PULSE.map(([x, y]) => [36 + x * 120, 36 + y * 120] as const);
  return encodePng(192, 192, drawPulse(192, [r, g, b, 255], [255, 255, 255, 255], line, 11));
}

/** 32×32, white pulse on transparent, as Teams requires of the outline icon. */
export function outlineIcon(): Buffer {
  const line = PULSE.map(([x, y]) => [3 + x * 26, 4 + y * 24] as const);
  return encodePng(32, 32, drawPulse(32, [255, 255, 255, 0], [255, 255, 255, 255], line, 2.6));
}
