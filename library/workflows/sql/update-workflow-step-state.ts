import type { Queryable } from '../../db/with-transaction';
import { type WorkflowStepRow, workflowStepColumns } from '../workflow-rows';
import type { StepState } from '../workflow-states';

export interface StepTransition {
  workflowId: string;
  name: string;
  /** The states the step may be in; any other state leaves the row alone and returns null. */
  from: readonly StepState[];
  /** Guards on the attempt being settled, so a late outcome of an earlier attempt changes nothing. */
  jobId?: string;
  attempt?: number;
  to: StepState;
  set?: {
    startAttempt?: { retryLimit: number | null };
    /** A new pg-boss job for the step, as an operator retry or a release sends. */
    newJobId?: string;
    result?: { json: string; bytes: number };
    lastError?: { name: string; message: string } | null;
    nextAttemptAt?: Date | null;
    settled?: boolean;
    recovered?: { by: string; reason: string };
    cancelRequested?: { by: string; reason: string };
  };
}

/**
 * Moves one step to `to` when it is still in one of the `from` states (and, when given, still on
 * `jobId` and `attempt`). Returns the updated row, or null when the guard did not match: the
 * caller then knows another transition got there first and writes nothing else.
 */
export async function updateWorkflowStepState(db: Queryable, transition: StepTransition): Promise<WorkflowStepRow | null> {
  const values: unknown[] = [transition.workflowId, transition.name, transition.from, transition.to];
  const parameter = (value: unknown, cast: string) => {
    values.push(value);
    return `$${values.length}::${cast}`;
  };

  const assignments = ['state = $4::text', 'updated_at = now()'];
  const set = transition.set ?? {};
  if (set.startAttempt) {
    assignments.push('attempt = attempt + 1', 'started_at = now()', 'next_attempt_at = null', `retry_limit = ${parameter(set.startAttempt.retryLimit, 'int')}`);
  }
  if (set.newJobId !== undefined) assignments.push(`job_id = ${parameter(set.newJobId, 'uuid')}`);
  if (set.result) assignments.push(`result = ${parameter(set.result.json, 'jsonb')}`, `result_bytes = ${parameter(set.result.bytes, 'int')}`);
  if (set.lastError !== undefined) assignments.push(`last_error = ${parameter(set.lastError === null ? null : JSON.stringify(set.lastError), 'jsonb')}`);
  if (set.nextAttemptAt !== undefined) assignments.push(`next_attempt_at = ${parameter(set.nextAttemptAt, 'timestamptz')}`);
  if (set.settled) assignments.push('settled_at = now()');
  if (set.recovered) {
    assignments.push('recovered_at = now()', `recovered_by = ${parameter(set.recovered.by, 'text')}`, `recovery_reason = ${parameter(set.recovered.reason, 'text')}`);
  }
  if (set.cancelRequested) {
    assignments.push('cancel_requested_at = now()', `cancel_requested_by = ${parameter(set.cancelRequested.by, 'text')}`, `cancel_reason = ${parameter(set.cancelRequested.reason, 'text')}`);
  }

  const guards = ['workflow_id = $1::uuid', 'name = $2::text', 'state = any($3::text[])'];
  if (transition.jobId !== undefined) guards.push(`job_id = ${parameter(transition.jobId, 'uuid')}`);
  if (transition.attempt !== undefined) guards.push(`attempt = ${parameter(transition.attempt, 'int')}`);

  const { rows } = await db.query<WorkflowStepRow>(
    `update jobs_powertools.workflow_steps set ${assignments.join(', ')}
      where ${guards.join(' and ')}
      returning ${workflowStepColumns}`,
    values,
  );
  return rows[0] ?? null;
}
