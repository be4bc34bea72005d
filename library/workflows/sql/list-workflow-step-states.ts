import type { Queryable } from '../../db/with-transaction';

/** Lists the distinct states of a workflow's steps; cheaper than reading the steps with their results. */
export async function listWorkflowStepStates(db: Queryable, workflowId: string): Promise<string[]> {
  const { rows } = await db.query<{ state: string }>(`select distinct state from jobs_powertools.workflow_steps where workflow_id = $1::uuid`, [workflowId]);
  return rows.map((row) => row.state);
}
