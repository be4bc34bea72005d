import type { Queryable } from '../db/with-transaction';
import { type CronEntryRow, cronEntryColumns } from './cron-entry-row';

export interface CronEntryWithLastSlot extends CronEntryRow {
  last_slot_at: Date | null;
  last_job_id: string | null;
}

/** Lists every cron entry with its newest fired slot, paused entries first. */
export async function listCronEntries(db: Queryable): Promise<CronEntryWithLastSlot[]> {
  const { rows } = await db.query<CronEntryWithLastSlot>(
    `select ${cronEntryColumns.split(', ').map((column) => `e.${column}`).join(', ')},
            s.slot_at as last_slot_at, s.job_id::text as last_job_id
       from jobs_powertools.cron_entries e
       left join lateral (
         select slot_at, job_id from jobs_powertools.cron_slots
          where entry_name = e.name
          order by slot_at desc
          limit 1
       ) s on true
      order by (e.paused_at is null), e.name`,
  );
  return rows;
}
