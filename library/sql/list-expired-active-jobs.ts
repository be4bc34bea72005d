import type { Queryable } from '../db/with-transaction';
import { pgBossSchema } from '../pgboss/pg-boss-schema';

export interface ExpiredActiveJob {
  id: string;
  name: string;
  started_on: Date;
  expire_seconds: number;
}

/**
 * Lists active jobs running longer than their expiry, oldest first, and counts them up to
 * `cap`. pg-boss's supervisor fails or retries such jobs on its next pass; until then they are
 * stuck, or the supervisor is not running.
 */
export async function listExpiredActiveJobs(db: Queryable, limit: number, cap: number): Promise<{ jobs: ExpiredActiveJob[]; count: number }> {
  const expired = `state = 'active'::${pgBossSchema}.job_state and started_on + expire_seconds * interval '1 second' < now()`;
  const [jobs, count] = await Promise.all([
    db.query<ExpiredActiveJob>(
      `select id::text, name, started_on, expire_seconds from ${pgBossSchema}.job where ${expired} order by started_on limit $1::int`,
      [limit],
    ),
    db.query<{ count: number }>(`select count(*)::int as count from (select 1 from ${pgBossSchema}.job where ${expired} limit $1::int) capped`, [cap]),
  ]);
  return { jobs: jobs.rows, count: count.rows[0].count };
}
