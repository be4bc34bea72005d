import type { Queryable } from '../../db/with-transaction';
import { pgBossSchema } from '../../pgboss/pg-boss-schema';
import type { JobFilter } from '../job-filter';
import { makeJobFilterPredicate, statesOf } from './job-filter-predicate';

/**
 * Counts the jobs in `queues` that match `filter`, stopping at `cap` + 1, so the cost is
 * bounded by the cap on a table of any size. A result above `cap` means "more than cap".
 */
export async function countJobs(db: Queryable, request: { queues: string[]; filter: JobFilter; cap: number }): Promise<number> {
  const predicate = makeJobFilterPredicate(request.filter, statesOf(request.filter), 3);
  const { rows } = await db.query<{ count: number }>(
    `select count(*)::int as count
       from (
         select 1
           from ${pgBossSchema}.job j
          where j.name = any($1::text[])
            and ${predicate.text}
          limit $2::int + 1
       ) matching`,
    [request.queues, request.cap, ...predicate.values],
  );
  return rows[0].count;
}
