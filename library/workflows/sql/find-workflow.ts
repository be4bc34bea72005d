import type { Queryable } from '../../db/with-transaction';
import { type WorkflowRow, workflowColumns, workflowIdPattern } from '../workflow-rows';

/**
 * Finds one workflow by id; `forUpdate` locks it until the transaction ends. Every transition
 * of a workflow or its steps takes this lock first, so transitions of one workflow never
 * interleave, whichever process makes them.
 */
export async function findWorkflow(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<WorkflowRow | null> {
  if (!workflowIdPattern.test(id)) return null;
  const lock = options.forUpdate ? 'for update' : '';
  const { rows } = await db.query<WorkflowRow>(`select ${workflowColumns} from jobs_powertools.workflows where id = $1::uuid ${lock}`, [id]);
  return rows[0] ?? null;
}
