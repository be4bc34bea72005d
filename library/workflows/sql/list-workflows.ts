import type { Queryable } from '../../db/with-transaction';
import { type WorkflowRow, workflowColumns } from '../workflow-rows';

export interface WorkflowFilter {
  state?: string;
  /** Matches workflow names that contain this text, ignoring case. */
  name?: string;
  /** Keyset cursor: only workflows created before this one. */
  beforeId?: string;
  limit: number;
}

/** Lists workflows newest first, one page at a time. */
export async function listWorkflows(db: Queryable, filter: WorkflowFilter): Promise<WorkflowRow[]> {
  const { rows } = await db.query<WorkflowRow>(
    `select ${workflowColumns}
       from jobs_powertools.workflows w
      where ($1::text is null or w.state = $1::text)
        and ($2::text is null or strpos(lower(w.name), lower($2::text)) > 0)
        and ($3::uuid is null or (w.created_at, w.id) < (select created_at, id from jobs_powertools.workflows where id = $3::uuid))
      order by w.created_at desc, w.id desc
      limit $4::int`,
    [filter.state ?? null, filter.name ?? null, filter.beforeId ?? null, filter.limit],
  );
  return rows;
}

/** Counts workflows in each state, for the filter. */
export async function countWorkflowsByState(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ state: string; count: number }>(
    `select state, count(*)::int as count from jobs_powertools.workflows group by state`,
  );
  return Object.fromEntries(rows.map((row) => [row.state, row.count]));
}
