import type { LibraryMigration } from './migration';

/** The schema, the migration log, and the append-only audit trail. */
export const createAuditEvents: LibraryMigration = {
  name: '0001_create_audit_events',
  release: '0.1.0',
  up: `
    create schema if not exists jobs_powertools;

    create table if not exists jobs_powertools.migrations (
      name text primary key,
      applied_at timestamptz not null default now()
    );

    create table if not exists jobs_powertools.audit_events (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      action text not null,
      resource_type text not null,
      resource_id text not null,
      actor_id text not null,
      actor_type text not null,
      actor_label text not null,
      reason text,
      details jsonb not null default '{}'::jsonb
    );

    create index if not exists audit_events_by_resource_newest_first
      on jobs_powertools.audit_events (resource_type, resource_id, id desc);

    create or replace function jobs_powertools.reject_audit_event_change() returns trigger
      language plpgsql as $$
      begin
        raise exception 'jobs_powertools.audit_events rows are immutable: % of event % rejected', tg_op, old.id
          using errcode = 'integrity_constraint_violation';
      end
    $$;

    create or replace trigger audit_events_are_immutable
      before update or delete on jobs_powertools.audit_events
      for each row execute function jobs_powertools.reject_audit_event_change();
  `,
  down: `
    drop table if exists jobs_powertools.audit_events;
    drop function if exists jobs_powertools.reject_audit_event_change();
    drop table if exists jobs_powertools.migrations;
    drop schema if exists jobs_powertools;
  `,
};
