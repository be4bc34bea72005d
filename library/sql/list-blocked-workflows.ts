import type { Queryable } from '../db/with-transaction';

export interface BlockedWorkflowSummary {
  id: string;
  name: string;
  updated_at: Date;
}

/**
 * Lists blocked workflows, newest first, at most `cap`: a step exhausted its retries and the
 * workflow waits for an operator to retry or cancel it. The (state, created_at) index serves it.
 */
export async function listBlockedWorkflows(db: Queryable, cap: number): Promise<BlockedWorkflowSummary[]> {
  const { rows } = await db.query<BlockedWorkflowSummary>(
    `select id::text, name, updated_at
       from jobs_powertools.workflows
      where state = 'blocked'
      order by created_at desc
      limit $1::int`,
    [cap],
  );
  return rows;
}
