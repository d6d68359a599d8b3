/**
 * The store on PostgreSQL, written once for both engines that speak its SQL: PGlite (embedded,
 * one file directory, the default) and a PostgreSQL server (DATABASE_URL, shared by replicas).
 *
 * Every state change is one statement whose WHERE clause is the compare-and-set, so the database
 * picks exactly one winner among racing writers in any number of processes.
 */
import type { Approval, ApprovalFilter, AuditEntry, AuditRecord, ConversationState, Incident, OfferedAction, Store, Timer } from '../core/index.ts';
import { StoreError } from '../core/index.ts';
import type { AuditKey } from './audit-chain.ts';
import { createAuditWriter } from './audit-writer.ts';
import { MIGRATIONS } from './migrations.ts';

export interface SqlResult<T> {
  readonly rows: T[];
  readonly rowCount: number;
}

/** The few things the store needs from a driver. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>>;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: Pick<Sql, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly description: string;
}

const json = (v: unknown) => JSON.stringify(v);
/** jsonb comes back parsed from both drivers; text would not, so accept both. */
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function migrate(sql: Sql): Promise<void> {
  await sql.transaction(async (tx) => {
    // Two replicas starting together must not both run a migration.
    await tx.query('select pg_advisory_xact_lock(424242)');
    await tx.query('create table if not exists healthbot_migrations (version integer primary key, applied_at timestamptz not null default now())');
    const done = new Set((await tx.query<{ version: number }>('select version from healthbot_migrations')).rows.map((r) => Number(r.version)));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await tx.query(statement);
      await tx.query('insert into healthbot_migrations (version) values ($1)', [m.version]);
    }
  });
}

interface AuditRow {
  seq: string | number;
  at: string;
  type: string;
  incident_id: string | null;
  prev_hash: string;
  hash: string;
  key_id: string | null;
  record: unknown;
}

/**
 * A record as its columns say, with the actor and data from the JSON: the filterable columns
 * (incident_id above all) are what readers and `audit export --incident` see, so they are what
 * verification must check, not a copy inside the JSON.
 */
function auditRecordOf(row: AuditRow): AuditRecord {
  const stored = parsed<Partial<AuditRecord>>(row.record);
  return {
    seq: Number(row.seq),
    at: row.at,
    type: row.type as AuditRecord['type'],
    ...(row.incident_id !== null ? { incidentId: row.incident_id } : {}),
    ...(stored.actor ? { actor: stored.actor } : {}),
    data: stored.data ?? {},
    prevHash: row.prev_hash,
    hash: row.hash,
    ...(row.key_id !== null ? { keyId: row.key_id } : {}),
  };
}

const AUDIT_COLUMNS = 'seq, at, type, incident_id, prev_hash, hash, key_id, record';

export function createSqlStore(sql: Sql, options: { readonly auditKey: AuditKey; readonly exclusive?: boolean }): Store {
  const wrap = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError('unavailable', `store: ${what} failed: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
    }
  };

  const appendAudit = createAuditWriter(sql, options.auditKey);

  return {
    exclusive: options.exclusive ?? false,
    claimEvent: (eventId, at) =>
      wrap('claimEvent', async () => (await sql.query('insert into healthbot_events (event_id, claimed_at) values ($1, $2) on conflict do nothing', [eventId, at.toISOString()])).rowCount === 1),

    getConversation: (conversation) =>
      wrap('getConversation', async () => {
        const r = await sql.query<{ state: unknown }>('select state from healthbot_conversations where conversation = $1', [conversation]);
        return r.rows[0] ? parsed<ConversationState>(r.rows[0].state) : undefined;
      }),
    putConversation: (state) =>
      wrap('putConversation', async () => {
        await sql.query(
          'insert into healthbot_conversations (conversation, state) values ($1, $2::jsonb) on conflict (conversation) do update set state = excluded.state',
          [state.conversation, json(state)],
        );
      }),

    getValue: <T>(key: string) =>
      wrap('getValue', async () => {
        const r = await sql.query<{ value: unknown }>('select value from healthbot_values where key = $1', [key]);
        return r.rows[0] ? parsed<T>(r.rows[0].value) : undefined;
      }),
    putValue: (key, value) =>
      wrap('putValue', async () => {
        await sql.query(
          'insert into healthbot_values (key, value, updated_at) values ($1, $2::jsonb, now()) on conflict (key) do update set value = excluded.value, updated_at = now()',
          [key, json(value)],
        );
      }),

    swapValue: (key, expected, next) =>
      wrap('swapValue', async () => {
        // The WHERE clause is the compare: jsonb equality ignores key order and spacing.
        if (expected === undefined) {
          if (next === undefined) return (await sql.query('select 1 from healthbot_values where key = $1', [key])).rowCount === 0;
          return (await sql.query('insert into healthbot_values (key, value, updated_at) values ($1, $2::jsonb, now()) on conflict (key) do nothing', [key, json(next)])).rowCount === 1;
        }
        if (next === undefined) return (await sql.query('delete from healthbot_values where key = $1 and value = $2::jsonb', [key, json(expected)])).rowCount === 1;
        return (await sql.query('update healthbot_values set value = $3::jsonb, updated_at = now() where key = $1 and value = $2::jsonb', [key, json(expected), json(next)])).rowCount === 1;
      }),
    insertValues: (entries) =>
      wrap('insertValues', async () => {
        const first = new Map<string, unknown>();
        for (const e of entries) if (!first.has(e.key)) first.set(e.key, e.value);
        if (first.size === 0) return [];
        const r = await sql.query<{ key: string }>(
          'insert into healthbot_values (key, value, updated_at) select k, v::jsonb, now() from unnest($1::text[], $2::text[]) as t(k, v) on conflict (key) do nothing returning key',
          [[...first.keys()], [...first.values()].map(json)],
        );
        return r.rows.map((row) => row.key);
      }),
    listValues: <T>(prefix: string, limit: number) =>
      wrap('listValues', async () => {
        // Not LIKE: a prefix holding % or _ must not match more than itself.
        const r = await sql.query<{ key: string; value: unknown }>('select key, value from healthbot_values where left(key, length($1)) = $1 order by key collate "C" limit $2', [prefix, limit]);
        return r.rows.map((row) => ({ key: row.key, value: parsed<T>(row.value) }));
      }),
    insertIncident: (incident) =>
      wrap('insertIncident', async () => {
        await sql.query('insert into healthbot_incidents (id, version, opened_at, data) values ($1, $2, $3, $4::jsonb)', [incident.id, incident.version, incident.openedAt, json(incident)]);
      }),
    getIncident: (id) =>
      wrap('getIncident', async () => {
        const r = await sql.query<{ data: unknown }>('select data from healthbot_incidents where id = $1', [id]);
        return r.rows[0] ? parsed<Incident>(r.rows[0].data) : undefined;
      }),
    updateIncident: (next) =>
      wrap('updateIncident', async () =>
        (
          await sql.query(
            `update healthbot_incidents set version = $2,
               data = case when data ? 'messageRef' and not ($3::jsonb ? 'messageRef') then jsonb_set($3::jsonb, '{messageRef}', data->'messageRef') else $3::jsonb end
             where id = $1 and version = $2 - 1`,
            [next.id, next.version, json(next)],
          )
        ).rowCount === 1,
      ),
    setIncidentMessageRef: (id, messageRef) =>
      wrap('setIncidentMessageRef', async () => {
        await sql.query(`update healthbot_incidents set data = jsonb_set(data, '{messageRef}', to_jsonb($2::text)) where id = $1`, [id, messageRef]);
      }),
    listIncidentsByStatus: (statuses, limit) =>
      wrap('listIncidentsByStatus', async () =>
        (
          await sql.query<{ data: unknown }>("select data from healthbot_incidents where data->>'status' = any($1::text[]) order by opened_at desc limit $2", [[...statuses], limit])
        ).rows.map((r) => parsed<Incident>(r.data)),
      ),
    listIncidents: (limit) =>
      wrap('listIncidents', async () =>
        (await sql.query<{ data: unknown }>('select data from healthbot_incidents order by opened_at desc limit $1', [limit])).rows.map((r) => parsed<Incident>(r.data)),
      ),

    insertActions: (actions) =>
      wrap('insertActions', async () => {
        if (actions.length === 0) return;
        await sql.transaction(async (tx) => {
          for (const a of actions)
            await tx.query('insert into healthbot_actions (id, incident_id, data) values ($1, $2, $3::jsonb) on conflict (id) do nothing', [a.id, a.incidentId, json(a)]);
        });
      }),
    getAction: (id) =>
      wrap('getAction', async () => {
        const r = await sql.query<{ data: unknown }>('select data from healthbot_actions where id = $1', [id]);
        return r.rows[0] ? parsed<OfferedAction>(r.rows[0].data) : undefined;
      }),

    insertApproval: (a) =>
      wrap('insertApproval', async () => {
        await sql.query('insert into healthbot_approvals (id, incident_id, state, version, requested_at, data) values ($1, $2, $3, $4, $5, $6::jsonb)', [a.id, a.incidentId, a.state, a.version, a.requestedAt, json(a)]);
      }),
    getApproval: (id) =>
      wrap('getApproval', async () => {
        const r = await sql.query<{ data: unknown }>('select data from healthbot_approvals where id = $1', [id]);
        return r.rows[0] ? parsed<Approval>(r.rows[0].data) : undefined;
      }),
    updateApproval: (next) =>
      wrap('updateApproval', async () =>
        (
          await sql.query(
            // A card reference recorded meanwhile (setApprovalMessageRef) survives a writer that had not seen it.
            `update healthbot_approvals set version = $2, state = $3,
               data = case when data ? 'messageRef' and not ($4::jsonb ? 'messageRef') then jsonb_set($4::jsonb, '{messageRef}', data->'messageRef') else $4::jsonb end
             where id = $1 and version = $2 - 1`,
            [next.id, next.version, next.state, json(next)],
          )
        ).rowCount === 1,
      ),
    renewExecutionLease: (id, owner, leaseUntil) =>
      wrap('renewExecutionLease', async () =>
        (
          await sql.query(
            `update healthbot_approvals set data = jsonb_set(data, '{execution,leaseUntil}', to_jsonb($3::text))
             where id = $1 and state = 'executing' and data->'execution'->>'owner' = $2`,
            [id, owner, leaseUntil],
          )
        ).rowCount === 1,
      ),
    takeOverExecution: (next, now) =>
      wrap('takeOverExecution', async () =>
        (
          await sql.query(
            // ISO times in UTC compare as text; an execution without a lease counts as expired.
            `update healthbot_approvals set version = $2, state = $3,
               data = case when data ? 'messageRef' and not ($4::jsonb ? 'messageRef') then jsonb_set($4::jsonb, '{messageRef}', data->'messageRef') else $4::jsonb end
             where id = $1 and version = $2 - 1 and state = 'executing' and coalesce(data->'execution'->>'leaseUntil', '') <= $5`,
            [next.id, next.version, next.state, json(next), now.toISOString()],
          )
        ).rowCount === 1,
      ),
    setApprovalMessageRef: (id, messageRef) =>
      wrap('setApprovalMessageRef', async () =>
        (await sql.query(`update healthbot_approvals set data = jsonb_set(data, '{messageRef}', to_jsonb($2::text)) where id = $1 and not (data ? 'messageRef')`, [id, messageRef])).rowCount === 1,
      ),
    listApprovals: (filter: ApprovalFilter = {}) =>
      wrap('listApprovals', async () => {
        const where: string[] = [];
        const params: unknown[] = [];
        if (filter.states) {
          params.push([...filter.states]);
          where.push(`state = any($${params.length}::text[])`);
        }
        if (filter.incidentId) {
          params.push(filter.incidentId);
          where.push(`incident_id = $${params.length}`);
        }
        const r = await sql.query<{ data: unknown }>(`select data from healthbot_approvals ${where.length ? `where ${where.join(' and ')}` : ''} order by requested_at, id`, params);
        return r.rows.map((row) => parsed<Approval>(row.data));
      }),

    scheduleTimer: (t) =>
      wrap('scheduleTimer', async () => {
        await sql.query(
          'insert into healthbot_timers (id, incident_id, due_at, payload) values ($1, $2, $3, $4::jsonb) on conflict (id) do update set due_at = excluded.due_at, payload = excluded.payload, attempts = 0',
          [t.id, t.incidentId, t.dueAt, json(t.payload)],
        );
      }),
    claimDueTimers: (now, limit, leaseMs) =>
      wrap('claimDueTimers', async () => {
        // Moving the due time past the lease hands each timer to exactly one caller until then;
        // SKIP LOCKED lets replicas claim different timers instead of queueing behind each other.
        // The CTE keeps the due time the timer had, which is what callers order by.
        const r = await sql.query<{ id: string; incident_id: string; was_due: Date | string; payload: unknown; attempts: number }>(
          `with due as (
             select id, due_at from healthbot_timers where due_at <= $1 order by due_at limit $2 for update skip locked
           )
           update healthbot_timers t set due_at = $3, attempts = t.attempts + 1 from due where t.id = due.id
           returning t.id, t.incident_id, due.due_at as was_due, t.payload, t.attempts`,
          [now.toISOString(), limit, new Date(now.getTime() + leaseMs).toISOString()],
        );
        return r.rows
          .map(
            (row): Timer => ({
              id: row.id,
              incidentId: row.incident_id,
              dueAt: new Date(row.was_due).toISOString(),
              payload: parsed<Timer['payload']>(row.payload),
              attempts: row.attempts,
            }),
          )
          .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
      }),
    completeTimer: (id) =>
      wrap('completeTimer', async () => {
        await sql.query('delete from healthbot_timers where id = $1', [id]);
      }),
    cancelTimers: (incidentId) =>
      wrap('cancelTimers', async () => {
        await sql.query('delete from healthbot_timers where incident_id = $1', [incidentId]);
      }),

    // Appends arriving together share one lock and one statement (see audit-writer.ts).
    appendAudit: (entry: AuditEntry) => wrap('appendAudit', () => appendAudit(entry)),
    readAudit: (filter = {}) =>
      wrap('readAudit', async () => {
        const r = filter.incidentId
          ? await sql.query<AuditRow>(`select ${AUDIT_COLUMNS} from healthbot_audit where incident_id = $1 order by seq`, [filter.incidentId])
          : await sql.query<AuditRow>(`select ${AUDIT_COLUMNS} from healthbot_audit order by seq`);
        return r.rows.map(auditRecordOf);
      }),
    auditHead: () =>
      wrap('auditHead', async () => {
        const row = (await sql.query<{ seq: string | number; hash: string; at: string }>('select seq, hash, at from healthbot_audit order by seq desc limit 1')).rows[0];
        return row && { seq: Number(row.seq), hash: row.hash, at: row.at };
      }),

    async health() {
      try {
        await sql.query('select 1');
        return { ok: true, detail: sql.description };
      } catch (err) {
        return { ok: false, detail: `${sql.description}: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
    close: () => sql.close(),
  };
}
