import type { Pool, PoolClient } from 'pg';
import type { JobWithMetadata, PgBoss } from 'pg-boss';

import { makePgBossExecutor } from '../db/pg-boss-executor';
import { withTransaction } from '../db/with-transaction';
import { findWorkflow } from './sql/find-workflow';
import { findWorkflowStep } from './sql/find-workflow-step';
import { insertWorkflowStepEvent } from './sql/insert-workflow-step-event';
import { listStepResults } from './sql/list-step-results';
import { updateWorkflowStepState } from './sql/update-workflow-step-state';
import { type AttemptOutcome, invokeStepHandler, type StepHandler } from './step-handler';
import { serializeStepError, serializeStepResult } from './step-result';
import { emitPending, isStepJobData, type PendingEvents, refreshWorkflowState, releaseDependents, type StepJobData } from './step-transitions';
import type { WorkflowEvents } from './workflow-events';
import type { WorkflowRow, WorkflowStepRow } from './workflow-rows';
import type { StepState } from './workflow-states';

export interface AttemptDeps {
  pool: Pool;
  boss: PgBoss;
  events: WorkflowEvents;
  maximumResultBytes: number;
}

type Started = { kind: 'started'; workflow: WorkflowRow; step: WorkflowStepRow; results: Record<string, unknown> } | { kind: 'skipped'; why: string };

/**
 * Runs one pg-boss job of a workflow step: records the attempt as executing, runs the handler
 * with its dependencies' results, then records the outcome. Each record is one transaction that
 * also settles the pg-boss job (through pg-boss's `db` option), fenced to this attempt, so an
 * attempt pg-boss already expired or retried elsewhere changes nothing. It resolves in every
 * case, so pg-boss's own settle of the job afterwards finds it settled and does nothing.
 */
export async function runStepAttempt(deps: AttemptDeps, job: JobWithMetadata<unknown>, handler: StepHandler<any, any>): Promise<void> {
  if (!isStepJobData(job.data)) {
    throw new Error(`Job ${job.id} on queue ${job.name} is not a workflow step job (its data lacks workflowId, workflowName and step); send workflow steps only through the workflow runtime.`);
  }
  const data = job.data;

  const started = await beginAttempt(deps, job, data);
  if (started.kind === 'skipped') {
    deps.events.emit('workflow:job_skipped', { queue: job.name, jobId: job.id, why: started.why });
    return;
  }

  const { workflow, step, results } = started;
  const outcome = await invokeStepHandler(handler, {
    workflow: { id: workflow.id, name: workflow.name, input: workflow.input },
    step: { name: step.name, attempt: step.attempt, data: step.data, queue: step.queue, jobId: job.id },
    results,
    signal: job.signal,
  });

  try {
    await settleAttempt(deps, job, step, outcome);
  } catch (error) {
    // The job stays active in pg-boss until its expiry; the reconciler then reads its state.
    deps.events.emit('workflow:settle_failed', { workflowId: workflow.id, step: step.name, attempt: step.attempt, jobId: job.id, error });
  }
}

async function beginAttempt(deps: AttemptDeps, job: JobWithMetadata<unknown>, data: StepJobData): Promise<Started> {
  const pending: PendingEvents = [];
  const started = await withTransaction(deps.pool, async (client): Promise<Started> => {
    const workflow = await findWorkflow(client, data.workflowId, { forUpdate: true });
    if (!workflow) return { kind: 'skipped', why: `workflow ${data.workflowId} does not exist` };
    const step = await findWorkflowStep(client, workflow.id, data.step, { forUpdate: true });
    if (!step) return { kind: 'skipped', why: `workflow ${workflow.id} has no step ${data.step}` };
    if (step.job_id !== job.id) return { kind: 'skipped', why: `step ${step.name} now runs job ${step.job_id ?? 'none'}, not this one` };
    if (workflow.state === 'cancelling' || workflow.state === 'cancelled') return { kind: 'skipped', why: `workflow ${workflow.id} is ${workflow.state}` };

    const executing = await updateWorkflowStepState(client, {
      workflowId: workflow.id,
      name: step.name,
      from: ['runnable', 'retrying', 'executing'],
      jobId: job.id,
      to: 'executing',
      set: { startAttempt: { retryLimit: job.retryLimit } },
    });
    if (!executing) return { kind: 'skipped', why: `step ${step.name} is ${step.state}` };

    await insertWorkflowStepEvent(client, { workflowId: workflow.id, stepName: step.name, state: 'executing', attempt: executing.attempt, jobId: job.id, detail: { retry_count: job.retryCount } });
    const refreshed = await refreshWorkflowState(client, workflow, pending);
    pending.push(['workflow:step_started', { workflowId: workflow.id, step: step.name, attempt: executing.attempt, jobId: job.id }]);
    return { kind: 'started', workflow: refreshed, step: executing, results: await listStepResults(client, workflow.id, executing.depends_on) };
  });
  emitPending(deps.events, pending);
  return started;
}

/** Records an attempt's outcome and settles its pg-boss job in one transaction. */
async function settleAttempt(deps: AttemptDeps, job: JobWithMetadata<unknown>, attemptStep: WorkflowStepRow, outcome: AttemptOutcome): Promise<void> {
  const { boss } = deps;
  const pending: PendingEvents = [];
  const serialized = outcome.kind === 'returned' ? serializeStepResult(outcome.value, deps.maximumResultBytes) : null;

  await withTransaction(deps.pool, async (client) => {
    const workflow = (await findWorkflow(client, attemptStep.workflow_id, { forUpdate: true }))!;
    const step = await findWorkflowStep(client, workflow.id, attemptStep.name, { forUpdate: true });
    const lateReason = describeLateOutcome(step, job.id, attemptStep.attempt);
    if (lateReason) {
      await insertWorkflowStepEvent(client, { workflowId: workflow.id, stepName: attemptStep.name, state: step?.state ?? 'unknown', attempt: attemptStep.attempt, jobId: job.id, detail: { late_outcome: outcome.kind, why: lateReason } });
      pending.push(['workflow:late_outcome', { workflowId: workflow.id, step: attemptStep.name, attempt: attemptStep.attempt, jobId: job.id, why: lateReason }]);
      return;
    }
    const current = step!;
    // Semantics version 1 left a running step executing when its workflow was cancelled; both mean the cancel wins.
    const cancelRequested = current.state === 'cancelling' || workflow.state === 'cancelling';
    const attempt = { id: job.id, retryCount: job.retryCount };
    const db = makePgBossExecutor(client);

    if (serialized?.ok) {
      const completion = await boss.complete(job.name, attempt, { workflowId: workflow.id, step: current.name, resultBytes: serialized.bytes }, { db });
      if (affectedCount(completion) === 1) {
        const to = settledStateOf(current, cancelRequested);
        const settled = await updateWorkflowStepState(client, { workflowId: workflow.id, name: current.name, from: ['executing', 'cancelling'], jobId: job.id, attempt: current.attempt, to, set: { result: serialized, settled: true } });
        await insertWorkflowStepEvent(client, { workflowId: workflow.id, stepName: current.name, state: to, attempt: current.attempt, jobId: job.id, detail: { result_bytes: serialized.bytes } });
        pending.push(['workflow:step_settled', { workflowId: workflow.id, step: current.name, state: to, attempt: current.attempt, jobId: job.id }]);
        if (settled && to !== 'cancelled') await releaseDependents(client, boss, workflow, current.name, pending);
        await refreshWorkflowState(client, workflow, pending);
        return;
      }
    }

    const error = describeFailure(outcome, serialized, job);
    if (!serialized?.ok || outcome.kind !== 'returned') await boss.fail(job.name, attempt, { error }, { db });
    const to = await recordFailure(client, boss, workflow, current, job, error, cancelRequested);
    pending.push(['workflow:step_failed', { workflowId: workflow.id, step: current.name, state: to, attempt: current.attempt, jobId: job.id, error: outcome.kind === 'threw' ? outcome.error : error }]);
    await refreshWorkflowState(client, workflow, pending);
  });
  emitPending(deps.events, pending);
}

/**
 * Reads what pg-boss made of the failed attempt and moves the step to match: retrying at the
 * job's next start time, blocked when no retry remains, cancelled when a cancel was requested.
 */
async function recordFailure(
  client: PoolClient,
  boss: PgBoss,
  workflow: WorkflowRow,
  step: WorkflowStepRow,
  job: JobWithMetadata<unknown>,
  error: { name: string; message: string },
  cancelRequested: boolean,
): Promise<StepState> {
  const db = makePgBossExecutor(client);
  const [after] = await boss.findJobs(job.name, { id: job.id, db });

  let to: StepState;
  let nextAttemptAt: Date | null = null;
  if (cancelRequested) {
    if (after && (after.state === 'retry' || after.state === 'created')) await boss.cancel(job.name, job.id, { db });
    to = 'cancelled';
  } else if (after?.state === 'retry') {
    to = 'retrying';
    nextAttemptAt = after.startAfter;
  } else if (after?.state === 'active' || after?.state === 'created') {
    // Another worker already claimed the next attempt and waits for this transaction's lock.
    to = 'retrying';
    nextAttemptAt = null;
  } else {
    to = 'blocked';
  }

  const jobState = after?.state ?? 'missing';
  await updateWorkflowStepState(client, {
    workflowId: workflow.id,
    name: step.name,
    from: ['executing', 'cancelling'],
    jobId: job.id,
    attempt: step.attempt,
    to,
    set: { lastError: error, nextAttemptAt, settled: to === 'cancelled' },
  });
  await insertWorkflowStepEvent(client, { workflowId: workflow.id, stepName: step.name, state: to, attempt: step.attempt, jobId: job.id, detail: { error, job_state: jobState, ...(nextAttemptAt ? { next_attempt_at: nextAttemptAt.toISOString() } : {}) } });
  return to;
}

/** The state a step settles in when its attempt returned: a requested cancel wins, and an operator's retry makes it recovered. */
function settledStateOf(step: WorkflowStepRow, cancelRequested: boolean): StepState {
  if (cancelRequested) return 'cancelled';
  if (step.recovered_at) return 'recovered';
  return 'completed';
}

function describeLateOutcome(step: WorkflowStepRow | null, jobId: string, attempt: number): string | null {
  if (!step) return 'the step no longer exists';
  if (step.job_id !== jobId) return `the step moved on to job ${step.job_id ?? 'none'}`;
  if (step.attempt !== attempt) return `attempt ${step.attempt} started after this one`;
  if (step.state !== 'executing' && step.state !== 'cancelling') return `the step is already ${step.state}`;
  return null;
}

function describeFailure(outcome: AttemptOutcome, serialized: ReturnType<typeof serializeStepResult> | null, job: JobWithMetadata<unknown>): { name: string; message: string } {
  if (outcome.kind === 'threw') return serializeStepError(outcome.error);
  if (outcome.kind === 'aborted') {
    return {
      name: 'AttemptAborted',
      message: `pg-boss stopped waiting for this attempt: it ran past the job's expiry of ${job.expireInSeconds} s, or the worker stopped. Make the handler stop when its signal aborts.`,
    };
  }
  if (serialized && !serialized.ok) return serialized.error;
  return { name: 'ClaimLost', message: 'The handler returned, but pg-boss had already settled this attempt (its expiry passed or it was cancelled), so the result was not stored.' };
}

function affectedCount(response: unknown): number {
  const affected = (response as { affected?: unknown }).affected;
  return typeof affected === 'number' ? affected : 0;
}
