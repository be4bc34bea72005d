import type { Queryable } from '../db/with-transaction';
import { cronEntryNamePattern } from '../scheduler/cron-entry-declaration';
import { type CronEntryRow, cronEntryColumns } from './cron-entry-row';

/**
 * Finds one cron entry by name; `forUpdate` locks it until the transaction ends. A name the
 * table's check constraint would reject finds nothing, so a null character from a URL never
 * reaches Postgres, which rejects it in text.
 */
export async function findCronEntry(db: Queryable, name: string, options: { forUpdate?: boolean } = {}): Promise<CronEntryRow | null> {
  if (!cronEntryNamePattern.test(name)) return null;
  const lock = options.forUpdate ? 'for update' : '';
  const { rows } = await db.query<CronEntryRow>(
    `select ${cronEntryColumns} from jobs_powertools.cron_entries where name = $1::text ${lock}`,
    [name],
  );
  return rows[0] ?? null;
}
