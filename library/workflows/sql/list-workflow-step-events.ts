import type { Queryable } from '../../db/with-transaction';
import { type WorkflowStepEventRow, workflowStepEventColumns } from '../workflow-rows';

/** Lists a workflow's timeline, oldest first, at most `limit` events. */
export async function listWorkflowStepEvents(db: Queryable, workflowId: string, limit = 1000): Promise<WorkflowStepEventRow[]> {
  const { rows } = await db.query<WorkflowStepEventRow>(
    `select ${workflowStepEventColumns} from jobs_powertools.workflow_step_events
      where workflow_id = $1::uuid
      order by workflow_step_events.id
      limit $2::int`,
    [workflowId, limit],
  );
  return rows;
}
