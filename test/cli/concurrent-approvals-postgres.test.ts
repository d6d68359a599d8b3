/**
 * Twenty `healthbot approve` processes at once on PostgreSQL, where they truly race. Runs when
 * TEST_DATABASE_URL is set (CI sets it); elsewhere it shows as skipped, with the reason.
 */
import pg from 'pg';
import { describe, it } from 'vitest';
import { missingPrerequisite, testDatabaseUrl } from '../support/prerequisites.ts';
import { cliEnv } from './cli-process.ts';
import { expectOneExecution, twentyApprovals } from './twenty-approvals.ts';

describe('twenty simultaneous approve processes', () => {
  const url = testDatabaseUrl();
  if (!url) {
    missingPrerequisite('needs TEST_DATABASE_URL (a PostgreSQL server) for processes that truly race');
    return;
  }
  it('on PostgreSQL (TEST_DATABASE_URL): they truly race, one runs the restart', { timeout: 300_000 }, async () => {
    const schema = `hb_cli_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    try {
      const databaseUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      expectOneExecution(await twentyApprovals(cliEnv({ DATABASE_URL: databaseUrl })));
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });
});
