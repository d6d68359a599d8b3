/** `healthbot approvals` lists owed compensations beside the approvals: what is left to put back. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { loadAuditKey, openStore } from '../../src/store/index.ts';
import { removeDataDir } from '../support/data-dirs.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDataDir));

function capture() {
  const out: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: () => {} }, out };
}

describe('healthbot approvals', () => {
  it(
    'shows an owed compensation as OWED, in text and in JSON, and nothing when none is owed',
    { timeout: 60_000 },
    async () => {
      const data = mkdtempSync(join(tmpdir(), 'hb-owed-'));
      dirs.push(data);
      const empty = capture();
      expect(await runCli(['approvals', '--data', data], empty.io)).toBe(0);
      expect(empty.out.join('').trim()).toBe('no approvals');

      // The key the CLI will use: generated beside the data directory, as on a first start.
      const { key } = await loadAuditKey({ keyFile: `${data}.audit-key` });
      const store = await openStore({ dataDir: data, auditKey: key });
      await store.insertIncident({
        id: 'inc-1',
        conversation: 'cli:main',
        server: 'SERVER2',
        healthSet: 'IMAP',
        openedBy: { platform: 'lab', userId: 'alice', displayName: 'Alice' },
        openedAt: '2026-11-24T14:00:00.000Z',
        question: 'imap on server2',
        locale: 'en',
        status: 'resolved',
        findings: [],
        owed: [
          {
            monitor: 'AverageCommandProcessingTimeGt60sMonitor',
            stepId: 'allow-activation',
            undoes: 'move-databases',
            operation: { kind: 'set-database-activation', server: 'SERVER2', mode: 'allow' },
            since: '2026-11-24T14:30:00.000Z',
          },
        ],
        version: 1,
        updatedAt: '2026-11-24T14:30:00.000Z',
      });
      await store.close();

      const text = capture();
      expect(await runCli(['approvals', '--data', data], text.io)).toBe(0);
      expect(text.out.join('')).toMatch(
        /inc-1\s+OWED\s+set-database-activation allow on SERVER2\s+puts back move-databases/,
      );
      const json = capture();
      expect(await runCli(['approvals', '--data', data, '--json'], json.io)).toBe(0);
      expect(JSON.parse(json.out.join(''))).toEqual([
        expect.objectContaining({ state: 'owed', incidentId: 'inc-1', stepId: 'allow-activation' }),
      ]);
    },
  );
});
