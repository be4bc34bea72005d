import type { Queryable } from '../db/with-transaction';
import { type CronEntryRow, cronEntryColumns } from './cron-entry-row';

/** Finds one cron entry by name; `forUpdate` locks it until the transaction ends. */
export async function findCronEntry(db: Queryable, name: string, options: { forUpdate?: boolean } = {}): Promise<CronEntryRow | null> {
  const lock = options.forUpdate ? 'for update' : '';
  const { rows } = await db.query<CronEntryRow>(
    `select ${cronEntryColumns} from jobs_powertools.cron_entries where name = $1::text ${lock}`,
    [name],
  );
  return rows[0] ?? null;
}
