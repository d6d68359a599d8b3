/**
 * The store on PostgreSQL, written once for both engines that speak its SQL: PGlite (embedded,
 * one file directory, the default) and a PostgreSQL server (DATABASE_URL, shared by replicas).
 *
 * Every state change is one statement whose WHERE clause is the compare-and-set, so the database
 * picks exactly one winner among racing writers in any number of processes.
 */
import type {
  Approval,
  ApprovalFilter,
  ProblemFilter,
  AuditEntry,
  AuditRecord,
  ConversationState,
  Incident,
  OfferedAction,
  Store,
  Timer,
} from '../core/index.ts';
import { StoreError } from '../core/index.ts';
import type { AuditKey } from './audit-chain.ts';
import { createAuditWriter } from './audit-writer.ts';
import type { Dialect } from './dialect.ts';
import { postgresDialect } from './dialect.ts';
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
  /** How this engine spells what differs; PostgreSQL's when not given. */
  readonly dialect?: Dialect;
}

/** jsonb comes back parsed from both drivers; text would not, so accept both. */
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function migrate(sql: Sql): Promise<void> {
  const d = sql.dialect ?? postgresDialect;
  await sql.transaction(async (tx) => {
    // Two replicas starting together must not both run a migration.
    if (d.migrationLock) await tx.query(d.migrationLock);
    await tx.query(
      d.ddl(
        'create table if not exists healthbot_migrations (version integer primary key, applied_at timestamptz not null default now())',
      ),
    );
    const done = new Set(
      (await tx.query<{ version: number }>('select version from healthbot_migrations')).rows.map((r) =>
        Number(r.version),
      ),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await tx.query(d.ddl(statement));
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

export function createSqlStore(
  sql: Sql,
  options: { readonly auditKey: AuditKey; readonly exclusive?: boolean },
): Store {
  const wrap = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(
        'unavailable',
        `store: ${what} failed: ${err instanceof Error ? err.message : String(err)}`,
        {},
        { cause: err },
      );
    }
  };

  const appendAudit = createAuditWriter(sql, options.auditKey);
  const d = sql.dialect ?? postgresDialect;
  const json = (v: unknown) => d.json(v);
  const j = (n: number) => d.jsonValue(`$${n}`);
  /** The new JSON in parameter n, keeping a card reference stored meanwhile that it lacks. */
  const keepingMessageRef = (n: number) =>
    `case when ${d.has('data', 'messageRef')} and not ${d.has(j(n), 'messageRef')} then ${d.copyKey(j(n), 'messageRef', 'data')} else ${j(n)} end`;

  return {
    exclusive: options.exclusive ?? false,
    claimEvent: (eventId, at) =>
      wrap(
        'claimEvent',
        async () =>
          (
            await sql.query(
              'insert into healthbot_events (event_id, claimed_at) values ($1, $2) on conflict do nothing',
              [eventId, at.toISOString()],
            )
          ).rowCount === 1,
      ),

    getConversation: (conversation) =>
      wrap('getConversation', async () => {
        const r = await sql.query<{ state: unknown }>(
          'select state from healthbot_conversations where conversation = $1',
          [conversation],
        );
        return r.rows[0] ? parsed<ConversationState>(r.rows[0].state) : undefined;
      }),
    putConversation: (state) =>
      wrap('putConversation', async () => {
        await sql.query(
          `insert into healthbot_conversations (conversation, state) values ($1, ${j(2)}) on conflict (conversation) do update set state = excluded.state`,
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
          `insert into healthbot_values (key, value, updated_at) values ($1, ${j(2)}, ${d.now}) on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
          [key, json(value)],
        );
      }),

    swapValue: (key, expected, next) =>
      wrap('swapValue', async () => {
        // The WHERE clause is the compare: jsonb equality ignores key order and spacing (SQLite's
        // text equality does not, so its dialect writes every value with sorted keys).
        if (expected === undefined) {
          if (next === undefined)
            return (await sql.query('select 1 from healthbot_values where key = $1', [key])).rowCount === 0;
          return (
            (
              await sql.query(
                `insert into healthbot_values (key, value, updated_at) values ($1, ${j(2)}, ${d.now}) on conflict (key) do nothing`,
                [key, json(next)],
              )
            ).rowCount === 1
          );
        }
        if (next === undefined)
          return (
            (await sql.query(`delete from healthbot_values where key = $1 and value = ${j(2)}`, [key, json(expected)]))
              .rowCount === 1
          );
        return (
          (
            await sql.query(
              `update healthbot_values set value = ${j(3)}, updated_at = ${d.now} where key = $1 and value = ${j(2)}`,
              [key, json(expected), json(next)],
            )
          ).rowCount === 1
        );
      }),
    insertValues: (entries) =>
      wrap('insertValues', async () => {
        const first = new Map<string, unknown>();
        for (const e of entries) if (!first.has(e.key)) first.set(e.key, e.value);
        if (first.size === 0) return [];
        const r = await sql.query<{ key: string }>(
          // `where true`: SQLite needs it to tell the upsert clause from a join constraint.
          `insert into healthbot_values (key, value, updated_at) select k, ${d.jsonValue('v')}, ${d.now} from ${d.pairs(1, 2)} where true on conflict (key) do nothing returning key`,
          [d.list([...first.keys()]), d.list([...first.values()].map(json))],
        );
        return r.rows.map((row) => row.key);
      }),
    listValues: <T>(prefix: string, limit: number) =>
      wrap('listValues', async () => {
        // Not LIKE: a prefix holding % or _ must not match more than itself.
        const r = await sql.query<{ key: string; value: unknown }>(
          `select key, value from healthbot_values where substr(key, 1, length($1)) = $1 order by key${d.byteOrder} limit $2`,
          [prefix, limit],
        );
        return r.rows.map((row) => ({ key: row.key, value: parsed<T>(row.value) }));
      }),
    insertIncident: (incident) =>
      wrap('insertIncident', async () => {
        await sql.query(`insert into healthbot_incidents (id, version, opened_at, data) values ($1, $2, $3, ${j(4)})`, [
          incident.id,
          incident.version,
          incident.openedAt,
          json(incident),
        ]);
      }),
    getIncident: (id) =>
      wrap('getIncident', async () => {
        const r = await sql.query<{ data: unknown }>('select data from healthbot_incidents where id = $1', [id]);
        return r.rows[0] ? parsed<Incident>(r.rows[0].data) : undefined;
      }),
    updateIncident: (next) =>
      wrap(
        'updateIncident',
        async () =>
          (
            await sql.query(
              `update healthbot_incidents set version = $2, data = ${keepingMessageRef(3)} where id = $1 and version = $2 - 1`,
              [next.id, next.version, json(next)],
            )
          ).rowCount === 1,
      ),
    setIncidentMessageRef: (id, messageRef) =>
      wrap('setIncidentMessageRef', async () => {
        await sql.query(
          `update healthbot_incidents set data = ${d.setText('data', ['messageRef'], '$2')} where id = $1`,
          [id, messageRef],
        );
      }),
    listIncidentsByStatus: (statuses, limit) =>
      wrap('listIncidentsByStatus', async () =>
        (
          await sql.query<{ data: unknown }>(
            `select data from healthbot_incidents where ${d.textAt('data', 'status')}${d.inList(1)} order by opened_at desc limit $2`,
            [d.list([...statuses]), limit],
          )
        ).rows.map((r) => parsed<Incident>(r.data)),
      ),
    listIncidents: (limit, on?: ProblemFilter) =>
      wrap('listIncidents', async () => {
        // Filtered in the database: rows that are not asked for are not sent, nor parsed here.
        const where = on
          ? `where lower(${d.textAt('data', 'server')}) = lower($2)${on.healthSet === undefined ? '' : ` and lower(${d.textAt('data', 'healthSet')}) = lower($3)`}`
          : '';
        const params = on ? [limit, on.server, ...(on.healthSet === undefined ? [] : [on.healthSet])] : [limit];
        const r = await sql.query<{ data: unknown }>(
          `select data from healthbot_incidents ${where} order by opened_at desc limit $1`,
          params,
        );
        return r.rows.map((row) => parsed<Incident>(row.data));
      }),

    insertActions: (actions) =>
      wrap('insertActions', async () => {
        if (actions.length === 0) return;
        await sql.transaction(async (tx) => {
          for (const a of actions)
            await tx.query(
              `insert into healthbot_actions (id, incident_id, data) values ($1, $2, ${j(3)}) on conflict (id) do nothing`,
              [a.id, a.incidentId, json(a)],
            );
        });
      }),
    getAction: (id) =>
      wrap('getAction', async () => {
        const r = await sql.query<{ data: unknown }>('select data from healthbot_actions where id = $1', [id]);
        return r.rows[0] ? parsed<OfferedAction>(r.rows[0].data) : undefined;
      }),

    insertApproval: (a) =>
      wrap('insertApproval', async () => {
        await sql.query(
          `insert into healthbot_approvals (id, incident_id, state, version, requested_at, data) values ($1, $2, $3, $4, $5, ${j(6)})`,
          [a.id, a.incidentId, a.state, a.version, a.requestedAt, json(a)],
        );
      }),
    getApproval: (id) =>
      wrap('getApproval', async () => {
        const r = await sql.query<{ data: unknown }>('select data from healthbot_approvals where id = $1', [id]);
        return r.rows[0] ? parsed<Approval>(r.rows[0].data) : undefined;
      }),
    updateApproval: (next) =>
      wrap(
        'updateApproval',
        async () =>
          (
            await sql.query(
              // A card reference recorded meanwhile (setApprovalMessageRef) survives a writer that had not seen it.
              `update healthbot_approvals set version = $2, state = $3, data = ${keepingMessageRef(4)} where id = $1 and version = $2 - 1`,
              [next.id, next.version, next.state, json(next)],
            )
          ).rowCount === 1,
      ),
    renewExecutionLease: (id, owner, leaseUntil) =>
      wrap(
        'renewExecutionLease',
        async () =>
          (
            await sql.query(
              `update healthbot_approvals set data = ${d.setText('data', ['execution', 'leaseUntil'], '$3')}
             where id = $1 and state = 'executing' and ${d.textAt('data', 'execution', 'owner')} = $2`,
              [id, owner, leaseUntil],
            )
          ).rowCount === 1,
      ),
    takeOverExecution: (next, now) =>
      wrap(
        'takeOverExecution',
        async () =>
          (
            await sql.query(
              // ISO times in UTC compare as text; an execution without a lease counts as expired.
              `update healthbot_approvals set version = $2, state = $3, data = ${keepingMessageRef(4)}
             where id = $1 and version = $2 - 1 and state = 'executing' and coalesce(${d.textAt('data', 'execution', 'leaseUntil')}, '') <= $5`,
              [next.id, next.version, next.state, json(next), now.toISOString()],
            )
          ).rowCount === 1,
      ),
    setApprovalMessageRef: (id, messageRef) =>
      wrap(
        'setApprovalMessageRef',
        async () =>
          (
            await sql.query(
              `update healthbot_approvals set data = ${d.setText('data', ['messageRef'], '$2')} where id = $1 and not ${d.has('data', 'messageRef')}`,
              [id, messageRef],
            )
          ).rowCount === 1,
      ),
    listApprovals: (filter: ApprovalFilter = {}) =>
      wrap('listApprovals', async () => {
        const where: string[] = [];
        const params: unknown[] = [];
        if (filter.states) {
          params.push(d.list([...filter.states]));
          where.push(`state${d.inList(params.length)}`);
        }
        if (filter.incidentId) {
          params.push(filter.incidentId);
          where.push(`incident_id = $${params.length}`);
        }
        if (filter.incidentIds) {
          params.push(d.list([...filter.incidentIds]));
          where.push(`incident_id${d.inList(params.length)}`);
        }
        const r = await sql.query<{ data: unknown }>(
          `select data from healthbot_approvals ${where.length ? `where ${where.join(' and ')}` : ''} order by requested_at, id`,
          params,
        );
        return r.rows.map((row) => parsed<Approval>(row.data));
      }),

    scheduleTimer: (t) =>
      wrap('scheduleTimer', async () => {
        await sql.query(
          `insert into healthbot_timers (id, incident_id, due_at, payload) values ($1, $2, $3, ${j(4)}) on conflict (id) do update set due_at = excluded.due_at, payload = excluded.payload, attempts = 0`,
          // One spelling of the time: SQLite compares it as text.
          [t.id, t.incidentId, new Date(t.dueAt).toISOString(), json(t.payload)],
        );
      }),
    claimDueTimers: (now, limit, leaseMs) =>
      wrap('claimDueTimers', async () => {
        // Moving the due time past the lease hands each timer to exactly one caller until then;
        // SKIP LOCKED lets PostgreSQL replicas claim different timers instead of queueing behind
        // each other (SQLite's transaction is exclusive). The due time the timer had is what
        // callers order by, so it is kept from the select.
        const lease = new Date(now.getTime() + leaseMs).toISOString();
        const { due, r } = await sql.transaction(async (tx) => {
          const due = (
            await tx.query<{ id: string; due_at: Date | string }>(
              `select id, due_at from healthbot_timers where due_at <= $1 order by due_at limit $2${d.skipLocked}`,
              [now.toISOString(), limit],
            )
          ).rows;
          if (due.length === 0) return { due, r: { rows: [], rowCount: 0 } };
          const r = await tx.query<{ id: string; incident_id: string; payload: unknown; attempts: number }>(
            `update healthbot_timers set due_at = $2, attempts = attempts + 1 where id${d.inList(1)} returning id, incident_id, payload, attempts`,
            [d.list(due.map((t) => t.id)), lease],
          );
          return { due, r };
        });
        const wasDue = new Map(due.map((t) => [t.id, t.due_at]));
        return r.rows
          .map((row): Timer => ({
            id: row.id,
            incidentId: row.incident_id,
            dueAt: new Date(wasDue.get(row.id)!).toISOString(),
            payload: parsed<Timer['payload']>(row.payload),
            attempts: row.attempts,
          }))
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
          ? await sql.query<AuditRow>(
              `select ${AUDIT_COLUMNS} from healthbot_audit where incident_id = $1 order by seq`,
              [filter.incidentId],
            )
          : await sql.query<AuditRow>(`select ${AUDIT_COLUMNS} from healthbot_audit order by seq`);
        return r.rows.map(auditRecordOf);
      }),
    auditHead: () =>
      wrap('auditHead', async () => {
        const row = (
          await sql.query<{ seq: string | number; hash: string; at: string }>(
            'select seq, hash, at from healthbot_audit order by seq desc limit 1',
          )
        ).rows[0];
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
