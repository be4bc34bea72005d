import type { Queryable } from '../db/with-transaction';
import type { CronSlotOutcome } from './claim-cron-slot';

export interface CronSlotRow {
  slot_at: Date;
  outcome: CronSlotOutcome;
  claimed_at: Date;
  job_id: string | null;
}

/** Lists an entry's newest slots first: fired, missed and operator runs alike. */
export async function listCronSlots(db: Queryable, entryName: string, limit: number): Promise<CronSlotRow[]> {
  const { rows } = await db.query<CronSlotRow>(
    `select slot_at, outcome, claimed_at, job_id::text as job_id
       from jobs_powertools.cron_slots
      where entry_name = $1::text
      order by slot_at desc
      limit $2::int`,
    [entryName, limit],
  );
  return rows;
}
