import type { Queryable } from '../db/with-transaction';

/** Deletes previews that expired unused more than a day ago. Used ones stay with their audit event. */
export async function deleteExpiredActionPreviews(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(
    `delete from jobs_powertools.action_previews
      where consumed_at is null and expires_at < now() - interval '1 day'`,
  );
  return rowCount ?? 0;
}
