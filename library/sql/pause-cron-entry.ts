import type { Queryable } from '../db/with-transaction';
import { type CronEntryRow, cronEntryColumns } from './cron-entry-row';

/**
 * Pauses an active entry. Returns null when the entry is missing or already paused, so a
 * caller racing another pause changes nothing.
 */
export async function pauseCronEntry(db: Queryable, name: string, pausedBy: string, reason: string): Promise<CronEntryRow | null> {
  const { rows } = await db.query<CronEntryRow>(
    `update jobs_powertools.cron_entries
        set paused_at = now(), paused_by = $2::text, paused_reason = $3::text, updated_at = now()
      where name = $1::text and paused_at is null
      returning ${cronEntryColumns}`,
    [name, pausedBy, reason],
  );
  return rows[0] ?? null;
}
