import { createAuditEvents } from './0001_create_audit_events';
import { createCronEntries } from './0002_create_cron_entries';
import { createActionPreviews } from './0003_create_action_previews';
import { recordCronPauseReasons } from './0004_record_cron_pause_reasons';
import { createCronSlots } from './0005_create_cron_slots';
import { rejectAuditEventTruncate } from './0006_reject_audit_event_truncate';
import { recordCronSlotOutcomes } from './0007_record_cron_slot_outcomes';
import { retireUndeclaredCronEntries } from './0008_retire_undeclared_cron_entries';
import { createWorkflows } from './0010_create_workflows';
import { recordWorkflowEvidence } from './0011_record_workflow_evidence';
import { recordSchedulerHeartbeats } from './0012_record_scheduler_heartbeats';
import type { LibraryMigration } from './migration';

export type { LibraryMigration } from './migration';

/** Every library migration, in the order they apply. Never reorder; only append. */
export const libraryMigrations: readonly LibraryMigration[] = [
  createAuditEvents,
  createCronEntries,
  createActionPreviews,
  recordCronPauseReasons,
  createCronSlots,
  rejectAuditEventTruncate,
  recordCronSlotOutcomes,
  retireUndeclaredCronEntries,
  createWorkflows,
  recordWorkflowEvidence,
  recordSchedulerHeartbeats,
];
