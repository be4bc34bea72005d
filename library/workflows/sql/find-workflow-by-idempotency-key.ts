import type { Queryable } from '../../db/with-transaction';
import { type WorkflowRow, workflowColumns } from '../workflow-rows';

/** Finds the workflow first inserted with this name and idempotency key. */
export async function findWorkflowByIdempotencyKey(db: Queryable, name: string, idempotencyKey: string): Promise<WorkflowRow | null> {
  const { rows } = await db.query<WorkflowRow>(
    `select ${workflowColumns} from jobs_powertools.workflows where name = $1::text and idempotency_key = $2::text`,
    [name, idempotencyKey],
  );
  return rows[0] ?? null;
}
