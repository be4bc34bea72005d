import type { Queryable } from '../../db/with-transaction';

/** Reads the stored results of the named steps of one workflow, by step name. */
export async function listStepResults(db: Queryable, workflowId: string, names: string[]): Promise<Record<string, unknown>> {
  if (names.length === 0) return {};
  const { rows } = await db.query<{ name: string; result: unknown }>(
    `select name, result from jobs_powertools.workflow_steps where workflow_id = $1::uuid and name = any($2::text[])`,
    [workflowId, names],
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.result]));
}
