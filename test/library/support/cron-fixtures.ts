import type { Pool } from 'pg';

import type { CronEntryDeclaration } from '../../../library';
import type { Queryable } from '../../../library/db/with-transaction';
import type { CronEntryRow } from '../../../library/sql/cron-entry-row';
import { cronEntryColumns } from '../../../library/sql/cron-entry-row';
import type { AuditEventRow } from '../../../library/sql/insert-audit-event';

/** The entry operators act on in these tests, as the reference host declares it. */
export const nightlySync = {
  name: 'nightly_sync',
  schedule: '0 2 * * *',
  timezone: 'Europe/Berlin',
  queue: 'nightly_sync',
  args: { source: 'crm', full: false },
} satisfies CronEntryDeclaration;

/** A bystander entry that no test acts on, so each test can check that it is left exactly as it was. */
export const weeklyReport = {
  name: 'weekly_report',
  schedule: '0 6 * * 1',
  timezone: 'UTC',
  queue: 'weekly_report',
  args: { format: 'pdf' },
} satisfies CronEntryDeclaration;

/** Inserts cron entries as a host's declarations would, unpaused. */
export async function insertCronEntries(db: Queryable, entries: CronEntryDeclaration[]): Promise<void> {
  for (const entry of entries) {
    await db.query(
      `insert into jobs_powertools.cron_entries (name, schedule, timezone, queue, args)
       values ($1::text, $2::text, $3::text, $4::text, $5::jsonb)`,
      [entry.name, entry.schedule, entry.timezone ?? 'UTC', entry.queue, JSON.stringify(entry.args ?? {})],
    );
  }
}

/** Reads one cron entry row; fails the test when it is missing. */
export async function readCronEntry(db: Queryable, name: string): Promise<CronEntryRow> {
  const { rows } = await db.query<CronEntryRow>(`select ${cronEntryColumns} from jobs_powertools.cron_entries where name = $1::text`, [name]);
  if (rows.length !== 1) throw new Error(`cron entry ${name} is missing`);
  return rows[0];
}

/** Lists every audit event, oldest first. */
export async function listAllAuditEvents(db: Queryable): Promise<AuditEventRow[]> {
  const { rows } = await db.query<AuditEventRow>(
    `select id::text as id, occurred_at, action, resource_type, resource_id, actor_id, actor_type, actor_label, reason, details
       from jobs_powertools.audit_events order by id`,
  );
  return rows;
}

/** Reads whether a preview has been used, and by which audit event. */
export async function readPreviewUse(pool: Pool, id: string): Promise<{ consumed: boolean; auditEventId: string | null }> {
  const { rows } = await pool.query<{ consumed_at: Date | null; audit_event_id: string | null }>(
    `select consumed_at, audit_event_id::text as audit_event_id from jobs_powertools.action_previews where id = $1::uuid`,
    [id],
  );
  if (rows.length !== 1) throw new Error(`action preview ${id} is missing`);
  return { consumed: rows[0].consumed_at !== null, auditEventId: rows[0].audit_event_id };
}
