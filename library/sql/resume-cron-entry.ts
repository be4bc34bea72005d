import type { Queryable } from '../db/with-transaction';
import { type CronEntryRow, cronEntryColumns } from './cron-entry-row';

/**
 * Resumes a paused entry. `resumed_at` makes the scheduler skip the slots that fell inside
 * the pause. Returns null when the entry is missing or not paused.
 */
export async function resumeCronEntry(db: Queryable, name: string): Promise<CronEntryRow | null> {
  const { rows } = await db.query<CronEntryRow>(
    `update jobs_powertools.cron_entries
        set paused_at = null, paused_by = null, paused_reason = null, resumed_at = now(), updated_at = now()
      where name = $1::text and paused_at is not null
      returning ${cronEntryColumns}`,
    [name],
  );
  return rows[0] ?? null;
}
