import type { Queryable } from '../db/with-transaction';

/**
 * Claims one slot of an entry. The primary key on (entry_name, slot_at) lets exactly one
 * claimer win, however many scheduler processes reach the slot together.
 */
export async function claimCronSlot(db: Queryable, entryName: string, slotAt: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into jobs_powertools.cron_slots (entry_name, slot_at)
     values ($1::text, $2::timestamptz)
     on conflict (entry_name, slot_at) do nothing`,
    [entryName, slotAt],
  );
  return rowCount === 1;
}
