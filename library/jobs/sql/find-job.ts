import type { Queryable } from '../../db/with-transaction';
import { pgBossSchema } from '../../pgboss/pg-boss-schema';
import { jobColumns, type JobRow } from '../job-row';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Finds one job by queue and id through pg-boss's primary key `(name, id)`; `forUpdate` locks
 * it until the transaction ends. An id that is not a UUID finds nothing instead of failing
 * the cast. A lookup by id alone would read every partition, which is why the queue is needed.
 */
export async function findJob(db: Queryable, queue: string, id: string, options: { forUpdate?: boolean } = {}): Promise<JobRow | null> {
  if (!uuidPattern.test(id) || queue.length === 0 || queue.includes('\u0000')) return null;
  const lock = options.forUpdate ? 'for update' : '';
  const { rows } = await db.query<JobRow>(
    `select ${jobColumns}
       from ${pgBossSchema}.job j
      where j.name = $1::text and j.id = $2::uuid
      ${lock}`,
    [queue, id],
  );
  return rows[0] ?? null;
}
