import type { LibraryMigration } from './migration';

/**
 * Workflows and their steps as semantics version 1 stores them. Under version 1 a step's row
 * held its state and row timestamps only: no step timeline, no next attempt time, no reason for
 * a recovery or a cancel request. 0011 adds those for version 2 without touching these rows.
 */
export const createWorkflows: LibraryMigration = {
  name: '0010_create_workflows',
  release: '0.2.0',
  up: `
    create table if not exists jobs_powertools.workflows (
      id uuid primary key,
      name text not null
        constraint workflow_name_is_short_identifier check (name ~ '^[A-Za-z0-9_.-]{1,100}$'),
      idempotency_key text
        constraint workflow_idempotency_key_is_1_to_200_characters check (length(idempotency_key) between 1 and 200),
      semantics_version smallint not null default 1
        constraint workflow_semantics_version_is_positive check (semantics_version >= 1),
      state text not null
        constraint workflow_state_is_known check (state in ('waiting', 'runnable', 'executing', 'retrying', 'blocked', 'cancelling', 'cancelled', 'completed', 'recovered')),
      input jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      cancel_requested_at timestamptz,
      settled_at timestamptz
    );

    create unique index if not exists workflows_idempotency_key_is_unique_per_name
      on jobs_powertools.workflows (name, idempotency_key) where idempotency_key is not null;
    create index if not exists workflows_newest_first
      on jobs_powertools.workflows (created_at desc, id desc);
    create index if not exists workflows_by_state_newest_first
      on jobs_powertools.workflows (state, created_at desc, id desc);

    create table if not exists jobs_powertools.workflow_steps (
      workflow_id uuid not null references jobs_powertools.workflows (id) on delete cascade,
      name text not null
        constraint workflow_step_name_is_short_identifier check (name ~ '^[A-Za-z0-9_.-]{1,100}$'),
      position smallint not null,
      queue text not null,
      depends_on text[] not null default '{}'::text[],
      data jsonb not null default '{}'::jsonb,
      job_options jsonb not null default '{}'::jsonb,
      semantics_version smallint not null default 1
        constraint workflow_step_semantics_version_is_positive check (semantics_version >= 1),
      state text not null
        constraint workflow_step_state_is_known check (state in ('waiting', 'runnable', 'executing', 'retrying', 'blocked', 'cancelling', 'cancelled', 'completed', 'recovered')),
      job_id uuid,
      attempt integer not null default 0,
      retry_limit integer,
      result jsonb,
      last_error jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      started_at timestamptz,
      settled_at timestamptz,
      recovered_at timestamptz,
      recovered_by text,
      primary key (workflow_id, name),
      constraint workflow_step_recovered_by_set_with_recovered_at check ((recovered_at is null) = (recovered_by is null))
    );

    create index if not exists workflow_steps_by_job
      on jobs_powertools.workflow_steps (job_id) where job_id is not null;
    create index if not exists workflow_steps_unsettled_by_update
      on jobs_powertools.workflow_steps (updated_at) where state in ('runnable', 'executing', 'retrying', 'cancelling');
  `,
  down: `
    drop table if exists jobs_powertools.workflow_steps;
    drop table if exists jobs_powertools.workflows;
  `,
};
