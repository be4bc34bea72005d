import type { Queryable } from '../../db/with-transaction';

export interface NewWorkflowStepEvent {
  workflowId: string;
  /** Null for an event of the workflow itself, such as a cancel request. */
  stepName: string | null;
  state: string;
  attempt?: number | null;
  jobId?: string | null;
  action?: string | null;
  actorLabel?: string | null;
  detail?: Record<string, unknown>;
}

/** Appends one transition to the timeline, in the transaction that made the transition. */
export async function insertWorkflowStepEvent(db: Queryable, event: NewWorkflowStepEvent): Promise<void> {
  await db.query(
    `insert into jobs_powertools.workflow_step_events (workflow_id, step_name, state, attempt, job_id, action, actor_label, detail)
     values ($1::uuid, $2::text, $3::text, $4::int, $5::uuid, $6::text, $7::text, $8::jsonb)`,
    [event.workflowId, event.stepName, event.state, event.attempt ?? null, event.jobId ?? null, event.action ?? null, event.actorLabel ?? null, JSON.stringify(event.detail ?? {})],
  );
}
