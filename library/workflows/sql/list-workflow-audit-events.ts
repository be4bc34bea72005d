import type { Queryable } from '../../db/with-transaction';
import { type AuditEventRow, auditEventColumns } from '../../sql/insert-audit-event';

/**
 * Lists the audit events of a workflow and of its steps, newest first. Step events name their
 * resource `<workflow id>:<step name>`.
 */
export async function listWorkflowAuditEvents(db: Queryable, workflowId: string, limit = 50): Promise<AuditEventRow[]> {
  const { rows } = await db.query<AuditEventRow>(
    `select ${auditEventColumns}
       from jobs_powertools.audit_events
      where (resource_type = 'workflow' and resource_id = $1::text)
         or (resource_type = 'workflow_step' and left(resource_id, 37) = $1::text || ':')
      order by audit_events.id desc
      limit $2::int`,
    [workflowId, limit],
  );
  return rows;
}
