import type { LibraryMigration } from './migration';

/** One row per fired slot; the primary key is what makes a slot fire once across processes. */
export const createCronSlots: LibraryMigration = {
  name: '0005_create_cron_slots',
  release: '0.2.0',
  up: `
    create table if not exists jobs_powertools.cron_slots (
      entry_name text not null references jobs_powertools.cron_entries (name) on delete cascade,
      slot_at timestamptz not null,
      claimed_at timestamptz not null default now(),
      job_id uuid,
      primary key (entry_name, slot_at)
    );
  `,
  down: `
    drop table if exists jobs_powertools.cron_slots;
  `,
};
