import type { Queryable } from '../../db/with-transaction';
import { workflowNamePattern } from '../workflow-plan';
import { type WorkflowStepRow, workflowIdPattern, workflowStepColumns } from '../workflow-rows';

/** Finds one step; `forUpdate` locks it. Lock its workflow first, as every transition does. */
export async function findWorkflowStep(db: Queryable, workflowId: string, name: string, options: { forUpdate?: boolean } = {}): Promise<WorkflowStepRow | null> {
  if (!workflowIdPattern.test(workflowId) || !workflowNamePattern.test(name)) return null;
  const lock = options.forUpdate ? 'for update' : '';
  const { rows } = await db.query<WorkflowStepRow>(
    `select ${workflowStepColumns} from jobs_powertools.workflow_steps where workflow_id = $1::uuid and name = $2::text ${lock}`,
    [workflowId, name],
  );
  return rows[0] ?? null;
}
