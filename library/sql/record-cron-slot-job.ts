import type { Queryable } from '../db/with-transaction';

/** Records the pg-boss job a claimed slot created. */
export async function recordCronSlotJob(db: Queryable, entryName: string, slotAt: Date, jobId: string): Promise<void> {
  await db.query(
    `update jobs_powertools.cron_slots set job_id = $3::uuid
      where entry_name = $1::text and slot_at = $2::timestamptz`,
    [entryName, slotAt, jobId],
  );
}
