import type { Queryable } from '../db/with-transaction';
import { pgBossSchema } from '../pgboss/pg-boss-schema';

/**
 * Counts a queue's jobs completed since `since`, up to `cap`, so a busy queue costs at most
 * `cap` index entries (pg-boss's (name, completed_on) index).
 */
export async function countRecentlyCompletedJobs(db: Queryable, queue: string, since: Date, cap: number): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `select count(*)::int as count from (
       select 1 from ${pgBossSchema}.job
        where name = $1::text and completed_on > $2::timestamptz and state = 'completed'::${pgBossSchema}.job_state
        limit $3::int
     ) capped`,
    [queue, since, cap],
  );
  return rows[0].count;
}
