import type { Queryable } from '../db/with-transaction';

/**
 * Records slots that passed while no scheduler ran, as evidence for the entry's page and
 * forensics. A slot another process already recorded is left as it is.
 */
export async function recordMissedCronSlots(db: Queryable, entryName: string, slots: Date[]): Promise<number> {
  if (slots.length === 0) return 0;
  const { rowCount } = await db.query(
    `insert into jobs_powertools.cron_slots (entry_name, slot_at, outcome)
     select $1::text, slot_at, 'missed' from unnest($2::timestamptz[]) as slot_at
     on conflict (entry_name, slot_at) do nothing`,
    [entryName, slots],
  );
  return rowCount ?? 0;
}
