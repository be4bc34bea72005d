import type { Queryable } from '../../db/with-transaction';
import { type WorkflowStepRow, workflowStepColumns } from '../workflow-rows';

/** Lists a workflow's steps in plan order. Callers lock the workflow row first when they will write. */
export async function listWorkflowSteps(db: Queryable, workflowId: string): Promise<WorkflowStepRow[]> {
  const { rows } = await db.query<WorkflowStepRow>(
    `select ${workflowStepColumns} from jobs_powertools.workflow_steps where workflow_id = $1::uuid order by position, name`,
    [workflowId],
  );
  return rows;
}

/** Lists the steps of many workflows at once, for a list page. */
export async function listStepsOfWorkflows(db: Queryable, workflowIds: string[]): Promise<WorkflowStepRow[]> {
  if (workflowIds.length === 0) return [];
  const { rows } = await db.query<WorkflowStepRow>(
    `select ${workflowStepColumns} from jobs_powertools.workflow_steps where workflow_id = any($1::uuid[]) order by workflow_id, position, name`,
    [workflowIds],
  );
  return rows;
}
