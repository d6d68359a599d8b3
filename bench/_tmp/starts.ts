import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot } from '../bot-process.ts';
const trees = process.argv.slice(2);
const n = Number(process.env.N ?? 3);
const res: Record<string, { fresh: number[]; warm: number[]; freshCpu: number[]; warmCpu: number[] }> = {};
for (let i = 0; i < n; i++)
  for (const root of trees) {
    const r = (res[root] ??= { fresh: [], warm: [], freshCpu: [], warmCpu: [] });
    const data = mkdtempSync(join(tmpdir(), 'hb-st-'));
    const env = { HEALTHBOT_DATA_DIR: data, HEALTHBOT_LAB_SCENARIO: 'imap-backend-hang' };
    const cmd = process.env.CMD ? process.env.CMD.split(' ') : ['npm', 'start'];
    const a = await startBot(env, root, cmd);
    r.fresh.push(a.startMs); r.freshCpu.push(a.startCpu);
    await a.stop();
    const b = await startBot(env, root, cmd);
    r.warm.push(b.startMs); r.warmCpu.push(b.startCpu);
    await b.stop();
  }
const med = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)]!;
for (const [root, r] of Object.entries(res))
  console.log(root, 'fresh', med(r.fresh).toFixed(0), 'ms cpu', med(r.freshCpu).toFixed(2), '| warm', med(r.warm).toFixed(0), 'ms cpu', med(r.warmCpu).toFixed(2));
