import type { Queryable } from '../db/with-transaction';
import type { AuditPrincipal, Resource } from '../seams';

export interface AuditEventRow {
  id: string;
  occurred_at: Date;
  action: string;
  resource_type: string;
  resource_id: string;
  actor_id: string;
  actor_type: string;
  actor_label: string;
  reason: string | null;
  details: Record<string, unknown>;
}

export interface NewAuditEvent {
  action: string;
  resource: Resource;
  principal: AuditPrincipal;
  reason: string;
  details: Record<string, unknown>;
}

export const auditEventColumns = `id::text as id, occurred_at, action, resource_type, resource_id, actor_id, actor_type, actor_label, reason, details`;

/** Inserts one audit event. The table rejects updates and deletes, so the row is final. */
export async function insertAuditEvent(db: Queryable, event: NewAuditEvent): Promise<AuditEventRow> {
  const { rows } = await db.query<AuditEventRow>(
    `insert into jobs_powertools.audit_events
       (action, resource_type, resource_id, actor_id, actor_type, actor_label, reason, details)
     values ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::jsonb)
     returning ${auditEventColumns}`,
    [
      event.action,
      event.resource.type,
      event.resource.id,
      event.principal.id,
      event.principal.type,
      event.principal.label,
      event.reason,
      JSON.stringify(event.details),
    ],
  );
  return rows[0];
}
