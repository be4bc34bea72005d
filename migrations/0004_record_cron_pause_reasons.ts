import type { LibraryMigration } from './migration';

/**
 * Adds why an entry was paused and when it was last resumed. Entries paused under 0.1.0 keep
 * a null reason, which pages show as "history unavailable" rather than inventing one.
 */
export const recordCronPauseReasons: LibraryMigration = {
  name: '0004_record_cron_pause_reasons',
  release: '0.2.0',
  up: `
    alter table jobs_powertools.cron_entries
      add column if not exists paused_reason text,
      add column if not exists resumed_at timestamptz;
  `,
  down: `
    alter table jobs_powertools.cron_entries
      drop column if exists resumed_at,
      drop column if exists paused_reason;
  `,
};
