import type { LibraryMigration } from './migration';

/** Marks entries the host no longer declares: they stop firing and keep their history. */
export const retireUndeclaredCronEntries: LibraryMigration = {
  name: '0008_retire_undeclared_cron_entries',
  release: '0.2.0',
  up: `
    alter table jobs_powertools.cron_entries add column if not exists retired_at timestamptz;
  `,
  down: `
    alter table jobs_powertools.cron_entries drop column if exists retired_at;
  `,
};
