import type { Queryable } from '../../db/with-transaction';
import type { ValidatedWorkflowPlan } from '../workflow-plan';
import { type WorkflowRow, workflowColumns } from '../workflow-rows';
import type { WorkflowState } from '../workflow-states';

/**
 * Inserts a workflow row. Returns null when another workflow of the same name already holds
 * the idempotency key; a concurrent insert of the same key waits on the unique index until the
 * first commits, so exactly one of them gets a row.
 */
export async function insertWorkflow(
  db: Queryable,
  workflow: { id: string; plan: ValidatedWorkflowPlan; state: WorkflowState; semanticsVersion: number },
): Promise<WorkflowRow | null> {
  const { rows } = await db.query<WorkflowRow>(
    `insert into jobs_powertools.workflows (id, name, idempotency_key, semantics_version, state, input, plan_digest)
     values ($1::uuid, $2::text, $3::text, $4::smallint, $5::text, $6::jsonb, $7::text)
     on conflict (name, idempotency_key) where idempotency_key is not null do nothing
     returning ${workflowColumns}`,
    [workflow.id, workflow.plan.name, workflow.plan.idempotencyKey, workflow.semanticsVersion, workflow.state, JSON.stringify(workflow.plan.input), workflow.plan.digest],
  );
  return rows[0] ?? null;
}
