import type { Queryable } from '../db/with-transaction';

/** What became of a slot: the same words in SQL, pages and docs. */
export type CronSlotOutcome = 'fired' | 'missed' | 'run_by_operator';

/**
 * Claims one slot of an entry. The primary key on (entry_name, slot_at) lets exactly one
 * claimer win, however many scheduler processes reach the slot together.
 */
export async function claimCronSlot(db: Queryable, entryName: string, slotAt: Date, outcome: CronSlotOutcome = 'fired'): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into jobs_powertools.cron_slots (entry_name, slot_at, outcome)
     values ($1::text, $2::timestamptz, $3::text)
     on conflict (entry_name, slot_at) do nothing`,
    [entryName, slotAt, outcome],
  );
  return rowCount === 1;
}
