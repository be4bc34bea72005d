import type { StepJobOptions } from './workflow-plan';

/**
 * A row of `jobs_powertools.workflows`. Columns added by 0011 are null on rows stored under
 * semantics version 1.
 */
export interface WorkflowRow {
  id: string;
  name: string;
  idempotency_key: string | null;
  semantics_version: number;
  state: string;
  input: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  cancel_requested_at: Date | null;
  settled_at: Date | null;
  plan_digest: string | null;
  cancel_requested_by: string | null;
  cancel_reason: string | null;
}

/** A row of `jobs_powertools.workflow_steps`. */
export interface WorkflowStepRow {
  workflow_id: string;
  name: string;
  position: number;
  queue: string;
  depends_on: string[];
  data: Record<string, unknown>;
  job_options: StepJobOptions;
  semantics_version: number;
  state: string;
  job_id: string | null;
  /** Attempts started so far, counting operator retries. */
  attempt: number;
  /** Retries pg-boss allows the current job after its first attempt. */
  retry_limit: number | null;
  result: unknown;
  last_error: { name?: string; message?: string } | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  settled_at: Date | null;
  recovered_at: Date | null;
  recovered_by: string | null;
  next_attempt_at: Date | null;
  recovery_reason: string | null;
  cancel_requested_at: Date | null;
  cancel_requested_by: string | null;
  cancel_reason: string | null;
  result_bytes: number | null;
}

/** A row of `jobs_powertools.workflow_step_events`: one transition. `step_name` null means the workflow itself. */
export interface WorkflowStepEventRow {
  id: string;
  workflow_id: string;
  step_name: string | null;
  occurred_at: Date;
  state: string;
  attempt: number | null;
  job_id: string | null;
  action: string | null;
  actor_label: string | null;
  detail: Record<string, unknown>;
}

export const workflowColumns = `id::text as id, name, idempotency_key, semantics_version, state, input, created_at, updated_at, cancel_requested_at, settled_at, plan_digest, cancel_requested_by, cancel_reason`;

export const workflowStepColumns = `workflow_id::text as workflow_id, name, position, queue, depends_on, data, job_options, semantics_version, state, job_id::text as job_id, attempt, retry_limit, result, last_error, created_at, updated_at, started_at, settled_at, recovered_at, recovered_by, next_attempt_at, recovery_reason, cancel_requested_at, cancel_requested_by, cancel_reason, result_bytes`;

export const workflowStepEventColumns = `id::text as id, workflow_id::text as workflow_id, step_name, occurred_at, state, attempt, job_id::text as job_id, action, actor_label, detail`;

/** Workflow ids are uuids; anything else finds nothing instead of failing the query. */
export const workflowIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
