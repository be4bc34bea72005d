import type { Queryable } from '../../db/with-transaction';
import { type WorkflowRow, workflowColumns } from '../workflow-rows';
import type { WorkflowState } from '../workflow-states';

/**
 * Sets a workflow's state and `updated_at`; a settled state also sets `settled_at`. Called after
 * the workflow row was locked, when a step transition changed the derived state.
 */
export async function updateWorkflowState(db: Queryable, workflowId: string, state: WorkflowState): Promise<WorkflowRow> {
  const { rows } = await db.query<WorkflowRow>(
    `update jobs_powertools.workflows
        set state = $2::text, updated_at = now(),
            settled_at = case when $2::text in ('cancelled', 'completed', 'recovered') then coalesce(settled_at, now()) else null end
      where id = $1::uuid
      returning ${workflowColumns}`,
    [workflowId, state],
  );
  return rows[0];
}
