import type { Queryable } from '../../db/with-transaction';
import { pgBossSchema, type JobState } from '../../pgboss/pg-boss-schema';
import type { JobFilter } from '../job-filter';
import { makeJobFilterPredicate } from './job-filter-predicate';

/**
 * Selects the ids of up to `limit` jobs of one queue that match `filter` and are in one of
 * `states`, newest first, for a bulk action's preview.
 */
export async function selectJobIds(db: Queryable, request: { queue: string; filter: JobFilter; states: readonly JobState[]; limit: number }): Promise<string[]> {
  // Like a list page it stops at `limit`, so the data containment is planned as in listJobs.
  const predicate = makeJobFilterPredicate(request.filter, request.states, 3, { dataSelectivity: 'unknown' });
  const { rows } = await db.query<{ id: string }>(
    `select j.id::text as id
       from ${pgBossSchema}.job j
      where j.name = $1::text
        and ${predicate.text}
      order by j.created_on desc, j.id desc
      limit $2::int`,
    [request.queue, request.limit, ...predicate.values],
  );
  return rows.map((row) => row.id);
}
