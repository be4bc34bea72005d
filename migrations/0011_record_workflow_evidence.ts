import type { LibraryMigration } from './migration';

/**
 * Semantics version 2: a timeline event per step transition, the next attempt time of a
 * retrying step, and who asked for a recovery or a cancel and why. Rows stored under version 1
 * keep their version and get nulls in the new columns, which pages show as missing evidence.
 */
export const recordWorkflowEvidence: LibraryMigration = {
  name: '0011_record_workflow_evidence',
  release: '0.2.0',
  up: `
    alter table jobs_powertools.workflows
      alter column semantics_version set default 2,
      add column if not exists plan_digest text,
      add column if not exists cancel_requested_by text,
      add column if not exists cancel_reason text;

    alter table jobs_powertools.workflow_steps
      alter column semantics_version set default 2,
      add column if not exists next_attempt_at timestamptz,
      add column if not exists recovery_reason text,
      add column if not exists cancel_requested_at timestamptz,
      add column if not exists cancel_requested_by text,
      add column if not exists cancel_reason text,
      add column if not exists result_bytes integer;

    create table if not exists jobs_powertools.workflow_step_events (
      id bigint generated always as identity primary key,
      workflow_id uuid not null references jobs_powertools.workflows (id) on delete cascade,
      step_name text,
      occurred_at timestamptz not null default now(),
      state text not null,
      attempt integer,
      job_id uuid,
      action text,
      actor_label text,
      detail jsonb not null default '{}'::jsonb
    );

    create index if not exists workflow_step_events_by_workflow_oldest_first
      on jobs_powertools.workflow_step_events (workflow_id, id);
  `,
  down: `
    drop table if exists jobs_powertools.workflow_step_events;

    alter table jobs_powertools.workflow_steps
      alter column semantics_version set default 1,
      drop column if exists result_bytes,
      drop column if exists cancel_reason,
      drop column if exists cancel_requested_by,
      drop column if exists cancel_requested_at,
      drop column if exists recovery_reason,
      drop column if exists next_attempt_at;

    alter table jobs_powertools.workflows
      alter column semantics_version set default 1,
      drop column if exists cancel_reason,
      drop column if exists cancel_requested_by,
      drop column if exists plan_digest;
  `,
};
