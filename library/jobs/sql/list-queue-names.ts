import type { Queryable } from '../../db/with-transaction';
import { pgBossSchema } from '../../pgboss/pg-boss-schema';

/** Lists every pg-boss queue name in name order. The queue table has one row per queue. */
export async function listQueueNames(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`select q.name from ${pgBossSchema}.queue q order by q.name`);
  return rows.map((row) => row.name);
}
