import type { LibraryMigration } from './migration';

/**
 * One row per running cron scheduler, refreshed on every tick and deleted when it stops, so
 * `jobs-powertools doctor` can tell whether any host process is scheduling right now.
 */
export const recordSchedulerHeartbeats: LibraryMigration = {
  name: '0012_record_scheduler_heartbeats',
  release: '0.2.0',
  up: `
    create table if not exists jobs_powertools.scheduler_heartbeats (
      instance_id uuid primary key,
      hostname text not null,
      pid integer not null,
      interval_seconds numeric not null constraint scheduler_heartbeats_interval_is_positive check (interval_seconds > 0),
      started_at timestamptz not null default now(),
      beat_at timestamptz not null default now()
    );
  `,
  down: `
    drop table if exists jobs_powertools.scheduler_heartbeats;
  `,
};
