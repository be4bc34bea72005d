import type { LibraryMigration } from './migration';

/** Cron entries with who paused them and when. */
export const createCronEntries: LibraryMigration = {
  name: '0002_create_cron_entries',
  release: '0.1.0',
  up: `
    create table if not exists jobs_powertools.cron_entries (
      name text primary key
        constraint cron_entry_name_is_short_identifier check (name ~ '^[A-Za-z0-9_.:-]{1,100}$'),
      schedule text not null,
      timezone text not null default 'UTC',
      queue text not null,
      args jsonb not null default '{}'::jsonb,
      paused_at timestamptz,
      paused_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint cron_entry_paused_by_set_only_while_paused check ((paused_at is null) = (paused_by is null))
    );
  `,
  down: `
    drop table if exists jobs_powertools.cron_entries;
  `,
};
