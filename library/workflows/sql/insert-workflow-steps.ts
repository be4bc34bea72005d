import type { Queryable } from '../../db/with-transaction';
import type { ValidatedWorkflowPlan } from '../workflow-plan';
import type { StepState } from '../workflow-states';

/** Inserts every step of a new workflow: roots as runnable with their job id, the rest waiting. */
export async function insertWorkflowSteps(
  db: Queryable,
  workflowId: string,
  steps: Array<ValidatedWorkflowPlan['steps'][number] & { state: StepState; jobId: string | null }>,
  semanticsVersion: number,
): Promise<void> {
  await db.query(
    `insert into jobs_powertools.workflow_steps (workflow_id, name, position, queue, depends_on, data, job_options, semantics_version, state, job_id)
     select $1::uuid, s.name, s.position, s.queue, s.depends_on, s.data, s.job_options, $2::smallint, s.state, s.job_id
       from jsonb_to_recordset($3::jsonb) as s(name text, position smallint, queue text, depends_on text[], data jsonb, job_options jsonb, state text, job_id uuid)`,
    [
      workflowId,
      semanticsVersion,
      JSON.stringify(steps.map((step) => ({
        name: step.name,
        position: step.position,
        queue: step.queue,
        depends_on: step.dependsOn,
        data: step.data,
        job_options: step.jobOptions,
        state: step.state,
        job_id: step.jobId,
      }))),
    ],
  );
}
