/**
 * The Teams app package: a zip that `unzip` and a small reader of our own both accept, holding a
 * manifest with the bot in all three scopes and the two icons at the sizes and colours Teams asks.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTeamsPackage } from '../../adapters/teams/index.ts';
import { buildTeamsPackage } from '../../adapters/teams/manifest.ts';
import { crc32 } from '../../adapters/teams/crc32.ts';

const dir = mkdtempSync(join(tmpdir(), 'healthbot-teams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const APP_ID = '5b07a1c2-3d4e-4f50-8a61-b72c83d94e05';
const options = {
  appId: APP_ID,
  botName: 'Healthbot',
  validDomains: ['healthbot.contoso.com'],
  outFile: join(dir, 'out', 'healthbot-teams.zip'),
};

/** Reads a zip through its central directory; checks sizes and CRCs on the way. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const packed = zip.subarray(dataAt, dataAt + packedSize);
    const data = method === 8 ? inflateRawSync(packed) : Buffer.from(packed);
    if (data.length !== size || crc32(data) !== crc) throw new Error(`size or CRC mismatch for ${name}`);
    files.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

/** Decodes an 8-bit RGBA PNG written with filter 0 on every row (what the package contains). */
function readPng(png: Buffer): {
  width: number;
  height: number;
  colourType: number;
  pixel(x: number, y: number): number[];
} {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('ascii');
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colourType = data[9]!;
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return {
    width,
    height,
    colourType,
    pixel: (x, y) => {
      const row = y * (width * 4 + 1);
      expect(raw[row]).toBe(0);
      return [...raw.subarray(row + 1 + x * 4, row + 1 + x * 4 + 4)];
    },
  };
}

describe('Teams app package', () => {
  it('writes a zip that unzip lists, with the manifest and both icons at the root', async () => {
    const { outFile } = await writeTeamsPackage(options);
    expect(existsSync(outFile)).toBe(true);
    const listing = execFileSync('unzip', ['-l', outFile], { encoding: 'utf8' });
    for (const name of ['manifest.json', 'color.png', 'outline.png'])
      expect(listing).toMatch(new RegExp(`\\s${name.replace('.', '\\.')}\\n`));
    execFileSync('unzip', ['-tq', outFile]);
    const manifest = JSON.parse(
      execFileSync('unzip', ['-p', outFile, 'manifest.json'], { encoding: 'utf8' }),
    ) as Record<string, unknown>;
    expect(manifest.id).toBe(APP_ID);
  });

  it('has a manifest with the bot in personal, team and group chat scopes, its commands and the valid domains', () => {
    const files = readZip(buildTeamsPackage(options).zip);
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const m = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Record<string, unknown> & {
      name: { short: string; full: string };
      description: { short: string; full: string };
      accentColor: string;
      bots: { commandLists: { commands: { title: string; description: string }[] }[] }[];
    };
    expect(m).toMatchObject({
      $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
      manifestVersion: '1.17',
      version: '1.0.0',
      id: APP_ID,
      icons: { color: 'color.png', outline: 'outline.png' },
      validDomains: ['healthbot.contoso.com'],
      developer: {
        websiteUrl: 'https://healthbot.contoso.com/',
        privacyUrl: 'https://healthbot.contoso.com/privacy',
        termsOfUseUrl: 'https://healthbot.contoso.com/terms',
      },
    });
    expect(m.name.short).toBe('Healthbot');
    expect(m.name.full.length).toBeLessThanOrEqual(100);
    expect(m.description.short.length).toBeLessThanOrEqual(80);
    expect(m.description.full.length).toBeLessThanOrEqual(4000);
    expect(m.accentColor).toMatch(/^#[0-9A-F]{6}$/i);
    expect(m.bots).toHaveLength(1);
    expect(m.bots[0]).toMatchObject({
      botId: APP_ID,
      scopes: ['personal', 'team', 'groupChat'],
      isNotificationOnly: false,
      supportsFiles: false,
    });
    const commands = m.bots[0]!.commandLists[0]!.commands;
    expect(commands.map((c) => c.title)).toEqual(['help', 'status', 'rerun', 'cancel', 'alerts here']);
    for (const c of commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
  });

  it('draws a 192×192 colour icon with the symbol inside the middle 120×120, and a 32×32 outline icon in white on transparent', () => {
    const files = readZip(buildTeamsPackage(options).zip);
    const color = readPng(files.get('color.png')!);
    expect([color.width, color.height, color.colourType]).toEqual([192, 192, 6]);
    const background = color.pixel(0, 0);
    expect(background).toEqual([0x0f, 0x5c, 0x8c, 255]);
    let symbol = 0;
    for (let y = 0; y < 192; y++) {
      for (let x = 0; x < 192; x++) {
        const p = color.pixel(x, y);
        expect(p[3]).toBe(255);
        const differs = p.some((v, i) => v !== background[i]);
        if (differs) {
          symbol++;
          expect(x >= 30 && x < 162 && y >= 30 && y < 162, `symbol pixel at ${x},${y}`).toBe(true);
        }
      }
    }
    expect(symbol).toBeGreaterThan(500);

    const outline = readPng(files.get('outline.png')!);
    expect([outline.width, outline.height, outline.colourType]).toEqual([32, 32, 6]);
    let opaque = 0;
    let clear = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = outline.pixel(x, y);
        if (a! > 0) expect([r, g, b]).toEqual([255, 255, 255]);
        if (a === 255) opaque++;
        if (a === 0) clear++;
      }
    }
    expect(opaque).toBeGreaterThan(30);
    expect(clear).toBeGreaterThan(700);
  });

  it('gives the same bytes for the same inputs', () => {
    expect(buildTeamsPackage(options).zip.equals(buildTeamsPackage(options).zip)).toBe(true);
  });

  it('refuses inputs Teams would reject, saying why', () => {
    expect(() => buildTeamsPackage({ ...options, appId: 'healthbot' })).toThrow(
      /appId must be the bot's Entra application id/,
    );
    expect(() => buildTeamsPackage({ ...options, botName: 'A name far too long for the Teams app bar' })).toThrow(
      /botName must be 1 to 30 characters/,
    );
    expect(() => buildTeamsPackage({ ...options, validDomains: ['https://healthbot.contoso.com/api'] })).toThrow(
      /without scheme or path/,
    );
    expect(() => buildTeamsPackage({ ...options, validDomains: [] })).toThrow(/developer links/);
    expect(() => buildTeamsPackage({ ...options, version: 'v2' })).toThrow(/version must look like 1\.0\.0/);
    expect(() =>
      buildTeamsPackage({
        ...options,
        developer: {
          name: 'Contoso IT',
          websiteUrl: 'http://contoso.com',
          privacyUrl: 'https://contoso.com/p',
          termsOfUseUrl: 'https://contoso.com/t',
        },
      }),
    ).toThrow(/websiteUrl must be an https URL/);
    const custom = buildTeamsPackage({
      ...options,
      validDomains: [],
      developer: {
        name: 'Contoso IT',
        websiteUrl: 'https://contoso.com',
        privacyUrl: 'https://contoso.com/p',
        termsOfUseUrl: 'https://contoso.com/t',
      },
      version: '1.2.3',
    });
    expect(custom.manifest).toMatchObject({ version: '1.2.3', developer: { name: 'Contoso IT' }, validDomains: [] });
  });
});
