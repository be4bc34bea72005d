import type { Queryable } from '../db/with-transaction';

/**
 * Retires every entry whose name is not in `declaredNames`, so an entry removed from the host's
 * code stops firing but keeps its slots and audit trail. Returns the names it retired.
 */
export async function retireUndeclaredCronEntries(db: Queryable, declaredNames: string[]): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `update jobs_powertools.cron_entries
        set retired_at = now(), updated_at = now()
      where retired_at is null and not (name = any($1::text[]))
      returning name`,
    [declaredNames],
  );
  return rows.map((row) => row.name);
}
