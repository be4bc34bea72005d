import type { LibraryMigration } from './migration';

/** One-time confirmations of operator actions, each bound to an actor and the state they saw. */
export const createActionPreviews: LibraryMigration = {
  name: '0003_create_action_previews',
  release: '0.2.0',
  up: `
    create table if not exists jobs_powertools.action_previews (
      id uuid primary key default gen_random_uuid(),
      action text not null,
      resource_type text not null,
      resource_id text not null,
      actor_id text not null,
      expected_state jsonb not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      consumed_at timestamptz,
      audit_event_id bigint references jobs_powertools.audit_events (id),
      constraint action_preview_event_only_once_consumed check (audit_event_id is null or consumed_at is not null)
    );

    create index if not exists action_previews_unconsumed_by_expiry
      on jobs_powertools.action_previews (expires_at) where consumed_at is null;
  `,
  down: `
    drop table if exists jobs_powertools.action_previews;
  `,
};
