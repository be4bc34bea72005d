import type { Queryable } from '../../db/with-transaction';
import { pgBossSchema } from '../../pgboss/pg-boss-schema';
import type { JobCursor } from '../job-cursor';
import type { JobFilter } from '../job-filter';
import { jobListColumns, type JobListRow } from '../job-row';
import { makeJobFilterPredicate, statesOf } from './job-filter-predicate';

/**
 * Lists one page of jobs in `queues`, newest first by `(created_on, id)`, after `cursor`.
 *
 * pg-boss indexes `created_on` only per queue (`job_i15` on `(name, created_on)`), so each
 * queue contributes its own newest `limit` keys from that index and the page is the newest
 * `limit` of those. The cost grows with the number of queues and the page size, never with
 * how deep the cursor is. Only the keys of the final page are joined back for their data.
 */
export async function listJobs(db: Queryable, request: { queues: string[]; filter: JobFilter; cursor: JobCursor | null; limit: number }): Promise<JobListRow[]> {
  const { queues, filter, cursor, limit } = request;
  const predicate = makeJobFilterPredicate(filter, statesOf(filter), 5, { dataSelectivity: 'unknown' });

  const { rows } = await db.query<JobListRow>(
    `with page as (
       select k.name, k.id, k.created_on
         from unnest($1::text[]) as q(name)
        cross join lateral (
          select j.name, j.id, j.created_on
            from ${pgBossSchema}.job j
           where j.name = q.name
             and ($2::timestamptz is null or (j.created_on <= $2::timestamptz and (j.created_on < $2::timestamptz or j.id < $3::uuid)))
             and ${predicate.text}
           order by j.created_on desc, j.id desc
           limit $4::int
        ) k
        order by k.created_on desc, k.id desc
        limit $4::int
     )
     select ${jobListColumns}
       from page p
       join ${pgBossSchema}.job j on j.name = p.name and j.id = p.id
      order by p.created_on desc, p.id desc`,
    [queues, cursor?.createdOn ?? null, cursor?.id ?? null, limit, ...predicate.values],
  );
  return rows;
}
