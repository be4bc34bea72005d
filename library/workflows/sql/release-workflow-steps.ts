import type { Queryable } from '../../db/with-transaction';
import { type WorkflowStepRow, workflowStepColumns } from '../workflow-rows';

/**
 * Releases the waiting dependents of `completedStep` whose dependencies have all completed or
 * recovered: each becomes runnable with a fresh job id, which the caller then sends in the same
 * transaction. The state guard makes a second release of the same step change nothing, so two
 * dependencies settling at once release their shared dependent exactly once.
 */
export async function releaseWorkflowSteps(db: Queryable, workflowId: string, completedStep: string): Promise<WorkflowStepRow[]> {
  const { rows } = await db.query<WorkflowStepRow>(
    `update jobs_powertools.workflow_steps s
        set state = 'runnable', job_id = gen_random_uuid(), updated_at = now()
      where s.workflow_id = $1::uuid
        and s.state = 'waiting'
        and $2::text = any(s.depends_on)
        and not exists (
          select 1 from unnest(s.depends_on) as dependency(name)
            left join jobs_powertools.workflow_steps d on d.workflow_id = s.workflow_id and d.name = dependency.name
           where d.state is null or d.state not in ('completed', 'recovered')
        )
      returning ${workflowStepColumns.split(', ').map((column) => `s.${column}`).join(', ')}`,
    [workflowId, completedStep],
  );
  return rows;
}
