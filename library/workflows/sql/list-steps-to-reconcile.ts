import type { Queryable } from '../../db/with-transaction';
import { type WorkflowStepRow, workflowStepColumns } from '../workflow-rows';

/** An unsettled step with the state of its workflow, whose cancel request also decides the step's outcome. */
export interface StepToReconcile extends WorkflowStepRow {
  workflow_state: string;
}

/** The last step a reconcile pass read, after which the next pass continues; null starts from the oldest. */
export interface ReconcileCursor {
  updatedAt: Date;
  workflowId: string;
  name: string;
}

/**
 * Lists unsettled steps with a pg-boss job that no transition touched for `quietSeconds`, oldest
 * first after `after`. The reconciler walks them page by page, so steps that stay consistent
 * (a long attempt, a long retry delay) do not hide the ones behind them.
 */
export async function listStepsToReconcile(db: Queryable, options: { quietSeconds: number; after: ReconcileCursor | null; limit: number }): Promise<StepToReconcile[]> {
  const { after } = options;
  const { rows } = await db.query<StepToReconcile>(
    `select ${workflowStepColumns.split(', ').map((column) => `s.${column}`).join(', ')}, w.state as workflow_state
       from jobs_powertools.workflow_steps s
       join jobs_powertools.workflows w on w.id = s.workflow_id
      where s.state in ('runnable', 'executing', 'retrying', 'cancelling')
        and s.job_id is not null
        and s.updated_at < now() - make_interval(secs => $1::double precision)
        and ($2::timestamptz is null or (s.updated_at, s.workflow_id, s.name) > ($2::timestamptz, $3::uuid, $4::text))
      order by s.updated_at, s.workflow_id, s.name
      limit $5::int`,
    [options.quietSeconds, after?.updatedAt ?? null, after?.workflowId ?? null, after?.name ?? null, options.limit],
  );
  return rows;
}
