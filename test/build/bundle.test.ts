/**
 * The esbuild bundle (`npm run build`, issue 20) behaves as the sources do: the CLI answers the
 * IMAP question with the same card, the bot serves the web page with its script and style (read
 * from adapters/web/, where the bundle is not), and a CLI command does not load what only the bot,
 * Slack, Teams or PowerShell need.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the build, without types
import { bundle } from '../../scripts/bundle.js';

interface Metafile {
  outputs: Record<
    string,
    {
      imports: { path: string; kind: string; external?: boolean }[];
      inputs: Record<string, unknown>;
      entryPoint?: string;
    }
  >;
}

const ROOT = join(import.meta.dirname, '../..');
// Inside the checkout (test/artifacts is ignored by git): the bundle finds the project by walking up.
const OUT = join(ROOT, 'test', 'artifacts', `bundle-${process.pid}`);
const QUESTION = "what's wrong with IMAP on server1?";
const dirs: string[] = [OUT];
let metafile: Metafile;

beforeAll(async () => {
  ({ metafile } = (await bundle(ROOT, OUT)) as { metafile: Metafile });
}, 120_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'healthbot-bundle-'));
  dirs.push(d);
  return d;
}

const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: 'test',
  ...extra,
});

/** Runs `runCli` of the module at `entry` (the bundle's cli.js, or src/cli.ts through tsx) in a process of its own. */
function cli(
  entry: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): Promise<{ code: number | null; out: string }> {
  const driver =
    'const { runCli } = await import(process.argv[1]); process.exitCode = await runCli(process.argv.slice(2));';
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeArgs, '--input-type=module', '-e', driver, pathToFileURL(entry).href, ...args],
      { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

/** What differs between two runs of the same question: ids, clock times and durations. */
const comparable = (text: string) =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/#[0-9a-f]{6,}/g, '#<incident>')
    .replace(/\b\d{1,2}:\d{2}\b/g, '<time>')
    .replace(/\b\d+(\.\d+)? s\b/g, '<n> s');

describe('the bundled CLI', () => {
  it('answers the IMAP question with the card the sources give', { timeout: 120_000 }, async () => {
    const bundled = await cli(join(OUT, 'cli.js'), ['ask', '--data', dataDir(), QUESTION]);
    const sources = await cli(join(ROOT, 'src', 'cli.ts'), ['ask', '--data', dataDir(), QUESTION], ['--import', 'tsx']);
    expect(sources.code, sources.out).toBe(0);
    expect(bundled.code, bundled.out).toBe(0);
    expect(bundled.out).toContain('IMAP on SERVER1: problem confirmed');
    expect(comparable(bundled.out)).toBe(comparable(sources.out));
  });

  it('does not load the bot (express, pino), Slack, Teams, PowerShell or zod locales for `ask`', () => {
    const outputs = metafile.outputs;
    const output = (source: string) => Object.keys(outputs).find((k) => outputs[k]!.entryPoint === source)!;
    // The packages bundled into, or imported by, the files that `entries` import statically.
    const loadedBy = (...entries: string[]) => {
      const seen = new Set<string>();
      const packages = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const input of Object.keys(outputs[file]!.inputs)) {
          const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(input);
          if (m) packages.add(m[1]!);
          if (/zod\/.*\/locales\/(?!en\.)/.test(input)) packages.add(`zod locale ${input}`);
        }
        for (const i of outputs[file]!.imports) {
          if (i.kind !== 'import-statement') continue;
          if (i.external)
            packages.add(
              i.path
                .split('/')
                .slice(0, i.path.startsWith('@') ? 2 : 1)
                .join('/'),
            );
          else visit(i.path);
        }
      };
      entries.forEach((e) => visit(output(e)));
      return [...packages];
    };
    // `ask`: the CLI, then the chat commands it imports when it sees the command.
    const ask = loadedBy('src/cli.ts', 'src/cli/chat-commands.ts');
    expect(ask).toContain('i18next'); // the walk does see bundled packages
    expect(ask).toContain('node:fs'); // and imports of what is not bundled
    for (const heavy of ['express', 'pino', 'prom-client', 'botbuilder', '@slack/bolt', 'node-powershell'])
      expect(ask, heavy).not.toContain(heavy);
    expect(ask.filter((p) => p.startsWith('zod locale'))).toEqual([]);
    const bot = loadedBy('src/main.ts');
    expect(bot).toContain('express');
    for (const heavy of ['botbuilder', '@slack/bolt', 'node-powershell']) expect(bot, heavy).not.toContain(heavy);
  });
});

describe('the bundled bot', () => {
  it('serves the web page with its browser script, style and lab scenario picker', { timeout: 120_000 }, async () => {
    const data = dataDir();
    const child = spawn(process.execPath, [join(OUT, 'main.js')], {
      cwd: ROOT,
      env: env({ PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', HEALTHBOT_DATA_DIR: data }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const look = (d: string) => {
          output += d;
          for (const line of output.split('\n')) {
            if (!line.includes('healthbot is listening')) continue;
            resolve((JSON.parse(line) as { url: string }).url.replace('localhost', '127.0.0.1'));
          }
        };
        child.stdout.setEncoding('utf8').on('data', look);
        child.stderr.setEncoding('utf8').on('data', look);
        child.once('exit', (code) => reject(new Error(`the bundled bot exited (${code}):\n${output}`)));
      });
      const page = await (await fetch(url)).text();
      const script = readFileSync(join(ROOT, 'adapters', 'web', 'page.js'), 'utf8');
      const style = readFileSync(join(ROOT, 'adapters', 'web', 'page.css'), 'utf8');
      expect(page).toContain(script);
      expect(page).toContain(style);
      // The picker's list, from the scenario files, kept for the next start (src/wiring/file-cache.ts).
      expect(page).toContain('<option value="healthy" title="Everything healthy"');
      const kept = JSON.parse(readFileSync(join(data, 'cache', 'scenarios.json'), 'utf8')) as {
        value: { id: string }[];
      };
      expect(kept.value.map((s) => s.id)).toContain('imap-backend-hang');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
