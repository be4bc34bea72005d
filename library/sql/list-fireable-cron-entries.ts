import type { Queryable } from '../db/with-transaction';
import { type CronEntryRow, cronEntryColumns } from './cron-entry-row';

export interface FireableCronEntry extends CronEntryRow {
  /** The scheduler only considers slots after this moment. */
  not_before: Date;
}

/**
 * Lists unpaused, declared entries with the moment after which their next slot counts: the
 * newest scheduled slot (fired or missed), the resume, the entry's creation, or the moment
 * slots began to be recorded, whichever is latest. Operator runs do not count, because they
 * happen outside the schedule. Slots before recording began are unknown, not missed: a host
 * upgraded from 0.1.0 fired them without recording them.
 */
export async function listFireableCronEntries(db: Queryable): Promise<FireableCronEntry[]> {
  const { rows } = await db.query<FireableCronEntry>(
    `select ${cronEntryColumns.split(', ').map((column) => `e.${column}`).join(', ')},
            greatest(
              e.created_at,
              e.resumed_at,
              (select max(s.slot_at) from jobs_powertools.cron_slots s where s.entry_name = e.name and s.outcome in ('fired', 'missed')),
              (select applied_at from jobs_powertools.migrations where name = '0005_create_cron_slots')
            ) as not_before
       from jobs_powertools.cron_entries e
      where e.paused_at is null and e.retired_at is null`,
  );
  return rows;
}
