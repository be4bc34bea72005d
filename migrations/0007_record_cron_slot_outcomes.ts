import type { LibraryMigration } from './migration';

/**
 * Records what became of each slot: fired by the scheduler, missed while no scheduler ran, or
 * run by an operator outside the schedule. Slots stored before this migration were all fired.
 */
export const recordCronSlotOutcomes: LibraryMigration = {
  name: '0007_record_cron_slot_outcomes',
  release: '0.2.0',
  up: `
    alter table jobs_powertools.cron_slots
      add column if not exists outcome text not null default 'fired';

    alter table jobs_powertools.cron_slots
      drop constraint if exists cron_slot_outcome_is_known;
    alter table jobs_powertools.cron_slots
      add constraint cron_slot_outcome_is_known check (outcome in ('fired', 'missed', 'run_by_operator'));

    create index if not exists cron_slots_newest_first
      on jobs_powertools.cron_slots (entry_name, slot_at desc);
  `,
  down: `
    drop index if exists jobs_powertools.cron_slots_newest_first;
    alter table jobs_powertools.cron_slots drop constraint if exists cron_slot_outcome_is_known;
    alter table jobs_powertools.cron_slots drop column if exists outcome;
  `,
};
