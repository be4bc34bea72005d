import type { Queryable } from '../db/with-transaction';
import { type AuditEventRow, auditEventColumns } from './insert-audit-event';

export interface AuditEventFilter {
  resourceType?: string;
  resourceId?: string;
  /** Keyset cursor: only events with a smaller id. */
  beforeId?: string;
  limit: number;
}

/**
 * Lists audit events newest first, one page at a time. The order names `audit_events.id`
 * because a bare `id` would sort by the text alias in the select list, putting 9 before 10.
 */
export async function listAuditEvents(db: Queryable, filter: AuditEventFilter): Promise<AuditEventRow[]> {
  const { rows } = await db.query<AuditEventRow>(
    `select ${auditEventColumns}
       from jobs_powertools.audit_events
      where ($1::text is null or resource_type = $1::text)
        and ($2::text is null or resource_id = $2::text)
        and ($3::bigint is null or id < $3::bigint)
      order by audit_events.id desc
      limit $4::int`,
    [filter.resourceType ?? null, filter.resourceId ?? null, filter.beforeId ?? null, filter.limit],
  );
  return rows;
}
