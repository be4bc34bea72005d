import type { Queryable } from '../db/with-transaction';
import { pgBossSchema } from '../pgboss/pg-boss-schema';

export interface FailedJobSummary {
  id: string;
  name: string;
  completed_on: Date;
  output: unknown;
}

/** Finds a queue's newest failed job; pg-boss's (name, completed_on) index serves it. */
export async function findNewestFailedJob(db: Queryable, queue: string): Promise<FailedJobSummary | null> {
  const { rows } = await db.query<FailedJobSummary>(
    `select id::text, name, completed_on, output
       from ${pgBossSchema}.job
      where name = $1::text and state = 'failed'::${pgBossSchema}.job_state and completed_on is not null
      order by completed_on desc
      limit 1`,
    [queue],
  );
  return rows[0] ?? null;
}
