import type { Queryable } from '../db/with-transaction';

/** Marks a preview used by the audit event it produced. Returns false if it was already used. */
export async function consumeActionPreview(db: Queryable, id: string, auditEventId: string | null): Promise<boolean> {
  const { rowCount } = await db.query(
    `update jobs_powertools.action_previews
        set consumed_at = now(), audit_event_id = $2::bigint
      where id = $1::uuid and consumed_at is null`,
    [id, auditEventId],
  );
  return rowCount === 1;
}
