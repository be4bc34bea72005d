import type { Queryable } from '../db/with-transaction';
import { pgBossSchema } from '../pgboss/pg-boss-schema';

export interface ExpiredActiveJob {
  id: string;
  name: string;
  started_on: Date;
  expire_seconds: number;
}

/**
 * Lists one queue's active jobs running longer than their expiry, at most `cap` of them, in
 * the order they became due; the caller counts and picks exemplars from the list. pg-boss's
 * supervisor fails or retries such jobs on its next pass, so until then they are stuck, or the
 * supervisor is not running. The where clause and the order match pg-boss's index on
 * (name, state, blocked, start_after), so the scan stops after `cap` matches; ordering by
 * started_on instead sorted every active job and took about 80 ms at a million jobs.
 */
export async function listExpiredActiveJobs(db: Queryable, queue: string, cap: number): Promise<ExpiredActiveJob[]> {
  const { rows } = await db.query<ExpiredActiveJob>(
    `select id::text, name, started_on, expire_seconds
       from ${pgBossSchema}.job
      where name = $1::text and state = 'active'::${pgBossSchema}.job_state and not blocked
        and started_on + expire_seconds * interval '1 second' < now()
      order by start_after
      limit $2::int`,
    [queue, cap],
  );
  return rows;
}
