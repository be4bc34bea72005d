import type { Queryable } from '../../db/with-transaction';
import { type WorkflowRow, workflowColumns } from '../workflow-rows';

/**
 * Records who asked to cancel a workflow and why. Returns null when it is already settled or
 * cancelling, so a second request changes nothing.
 */
export async function requestWorkflowCancel(db: Queryable, workflowId: string, requestedBy: string, reason: string): Promise<WorkflowRow | null> {
  const { rows } = await db.query<WorkflowRow>(
    `update jobs_powertools.workflows
        set state = 'cancelling', cancel_requested_at = now(), cancel_requested_by = $2::text, cancel_reason = $3::text, updated_at = now()
      where id = $1::uuid and state not in ('cancelling', 'cancelled', 'completed', 'recovered')
      returning ${workflowColumns}`,
    [workflowId, requestedBy, reason],
  );
  return rows[0] ?? null;
}
