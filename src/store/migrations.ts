/**
 * Schema versions, applied in order and recorded in `healthbot_migrations`. Never edit a shipped
 * migration; add the next one. Tables carry the `healthbot_` prefix so the bot can share a
 * database with other applications.
 */
export interface Migration {
  readonly version: number;
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      'create table healthbot_events (event_id text primary key, claimed_at timestamptz not null)',
      'create table healthbot_conversations (conversation text primary key, state jsonb not null)',
      'create table healthbot_incidents (id text primary key, version integer not null, opened_at text not null, data jsonb not null)',
      'create index healthbot_incidents_opened on healthbot_incidents (opened_at desc)',
      'create table healthbot_actions (id text primary key, incident_id text not null, data jsonb not null)',
      'create table healthbot_approvals (id text primary key, incident_id text not null, state text not null, version integer not null, requested_at text not null, data jsonb not null)',
      'create index healthbot_approvals_state on healthbot_approvals (state)',
      'create table healthbot_timers (id text primary key, incident_id text not null, due_at timestamptz not null, payload jsonb not null)',
      'create index healthbot_timers_due on healthbot_timers (due_at)',
      'create table healthbot_audit (seq bigint primary key, at text not null, type text not null, incident_id text, prev_hash text not null, hash text not null, record jsonb not null)',
      'create index healthbot_audit_incident on healthbot_audit (incident_id, seq)',
    ],
  },
  {
    // Timers are leased, not deleted, when claimed: a crash while firing one no longer loses it.
    version: 2,
    statements: ['alter table healthbot_timers add column attempts integer not null default 0'],
  },
  {
    version: 3,
    statements: [
      'create table healthbot_values (key text primary key, value jsonb not null, updated_at timestamptz not null default now())',
    ],
  },
  {
    // The audit trail is keyed: each new record names the key (its fingerprint) whose HMAC it
    // carries. Records from before have none and are verified as unkeyed, not as broken.
    version: 4,
    statements: ['alter table healthbot_audit add column key_id text'],
  },
];
