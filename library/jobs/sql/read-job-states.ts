import type { Queryable } from '../../db/with-transaction';
import { pgBossSchema, type JobState } from '../../pgboss/pg-boss-schema';

/**
 * Reads the current state of the jobs of one queue among `ids` that still exist. With
 * `forUpdate` it locks them until the transaction ends, in id order so two confirmations over
 * overlapping jobs queue up instead of deadlocking; pg-boss fetches with `skip locked`, so
 * workers pass over them meanwhile.
 */
export async function readJobStates(db: Queryable, queue: string, ids: readonly string[], options: { forUpdate: boolean }): Promise<Array<{ id: string; state: JobState }>> {
  const lock = options.forUpdate ? 'for update' : '';
  const { rows } = await db.query<{ id: string; state: JobState }>(
    `select j.id::text as id, j.state::text as state
       from ${pgBossSchema}.job j
      where j.name = $1::text and j.id = any($2::uuid[])
      order by j.id
      ${lock}`,
    [queue, ids],
  );
  return rows;
}
