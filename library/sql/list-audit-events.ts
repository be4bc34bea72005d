import type { Queryable } from '../db/with-transaction';
import { type AuditEventRow, auditEventColumns } from './insert-audit-event';

export interface AuditEventFilter {
  resourceType?: string;
  resourceId?: string;
  /** Matches the actor's label or id exactly. */
  actor?: string;
  action?: string;
  /** Only events at or after this time. */
  from?: Date;
  /** Only events before this time. */
  to?: Date;
  /** Keyset cursor: only events with a smaller id. */
  beforeId?: string;
  limit: number;
}

/**
 * Lists audit events newest first, one page at a time; every filter is optional. The order
 * names `audit_events.id` because a bare `id` would sort by the text alias in the select list,
 * putting 9 before 10.
 */
export async function listAuditEvents(db: Queryable, filter: AuditEventFilter): Promise<AuditEventRow[]> {
  const { rows } = await db.query<AuditEventRow>(
    `select ${auditEventColumns}
       from jobs_powertools.audit_events
      where ($1::text is null or resource_type = $1::text)
        and ($2::text is null or resource_id = $2::text)
        and ($3::bigint is null or audit_events.id < $3::bigint)
        and ($5::text is null or actor_label = $5::text or actor_id = $5::text)
        and ($6::text is null or action = $6::text)
        and ($7::timestamptz is null or occurred_at >= $7::timestamptz)
        and ($8::timestamptz is null or occurred_at < $8::timestamptz)
      order by audit_events.id desc
      limit $4::int`,
    [filter.resourceType ?? null, filter.resourceId ?? null, filter.beforeId ?? null, filter.limit, filter.actor ?? null, filter.action ?? null, filter.from ?? null, filter.to ?? null],
  );
  return rows;
}
