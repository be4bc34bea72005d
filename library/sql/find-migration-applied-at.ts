import type { Queryable } from '../db/with-transaction';

/** Returns when a library migration was applied here, or null when it was not. */
export async function findMigrationAppliedAt(db: Queryable, name: string): Promise<Date | null> {
  const { rows } = await db.query<{ applied_at: Date }>(`select applied_at from jobs_powertools.migrations where name = $1::text`, [name]);
  return rows[0]?.applied_at ?? null;
}
