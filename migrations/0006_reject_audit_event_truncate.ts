import type { LibraryMigration } from './migration';

/** Extends the audit trail's immutability to `truncate`, which row triggers do not see. */
export const rejectAuditEventTruncate: LibraryMigration = {
  name: '0006_reject_audit_event_truncate',
  release: '0.2.0',
  up: `
    create or replace function jobs_powertools.reject_audit_event_truncate() returns trigger
      language plpgsql as $$
      begin
        raise exception 'jobs_powertools.audit_events rows are immutable: truncate rejected'
          using errcode = 'integrity_constraint_violation';
      end
    $$;

    create or replace trigger audit_events_are_never_truncated
      before truncate on jobs_powertools.audit_events
      for each statement execute function jobs_powertools.reject_audit_event_truncate();
  `,
  down: `
    drop trigger if exists audit_events_are_never_truncated on jobs_powertools.audit_events;
    drop function if exists jobs_powertools.reject_audit_event_truncate();
  `,
};
