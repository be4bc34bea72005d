import type { Pool } from 'pg';
import type { JobWithMetadata, PgBoss } from 'pg-boss';

import { makePgBossExecutor } from '../db/pg-boss-executor';
import { withTransaction } from '../db/with-transaction';
import { findWorkflow } from './sql/find-workflow';
import { insertWorkflowStepEvent } from './sql/insert-workflow-step-event';
import { listStepsToReconcile, type ReconcileCursor, type StepToReconcile } from './sql/list-steps-to-reconcile';
import { updateWorkflowStepState } from './sql/update-workflow-step-state';
import { emitPending, type PendingEvents, refreshWorkflowState } from './step-transitions';
import type { WorkflowEvents } from './workflow-events';
import type { StepState } from './workflow-states';

type JobState = JobWithMetadata['state'];

/** The state a step must take to match its pg-boss job, with the evidence to record. */
export interface Correction {
  to: StepState;
  nextAttemptAt: Date | null;
  error: { name: string; message: string } | null;
  cancelJob: boolean;
}

/**
 * Decides how to correct a step whose pg-boss job moved without the runtime recording it: a
 * worker that crashed mid-attempt, an attempt pg-boss expired, or a job settled through pg-boss
 * directly. A missing job or a state that agrees changes nothing, so a step is only rewritten on
 * evidence from pg-boss.
 */
export function decideCorrection(stepState: string, job: Pick<JobWithMetadata, 'state' | 'startAfter' | 'output'> | null, cancelRequested = stepState === 'cancelling'): Correction | null {
  if (!job) return null;
  const jobState: JobState = job.state;
  const error = readJobError(job.output);

  if (cancelRequested) {
    if (jobState === 'active') return null;
    return { to: 'cancelled', nextAttemptAt: null, error: null, cancelJob: jobState === 'retry' || jobState === 'created' };
  }
  if (jobState === 'retry') {
    if (stepState === 'retrying') return null;
    return { to: 'retrying', nextAttemptAt: job.startAfter, error: error ?? { name: 'AttemptExpired', message: 'pg-boss failed the attempt without the runtime recording why; it most likely ran past its expiry or its worker stopped.' }, cancelJob: false };
  }
  if (jobState === 'failed') {
    return { to: 'blocked', nextAttemptAt: null, error: error ?? { name: 'AttemptExpired', message: 'pg-boss failed the last attempt without the runtime recording why; it most likely ran past its expiry.' }, cancelJob: false };
  }
  if (jobState === 'completed') {
    return { to: 'blocked', nextAttemptAt: null, error: { name: 'SettledOutsideRuntime', message: 'pg-boss shows the job completed, but not through the workflow runtime, so no result was recorded. Retry the step to record one, or cancel it.' }, cancelJob: false };
  }
  if (jobState === 'cancelled') {
    return { to: 'blocked', nextAttemptAt: null, error: { name: 'SettledOutsideRuntime', message: 'pg-boss shows the job cancelled, but not through the workflow runtime. Retry the step to run it, or cancel it.' }, cancelJob: false };
  }
  return null;
}

/**
 * Makes the reconciler. Each pass reads up to `batchSize` unsettled steps that have been quiet
 * for `quietSeconds`, reads their jobs from pg-boss and corrects the steps that disagree. A pass
 * continues after the last step the previous one read, and starts over after the newest.
 */
export function makeReconciler(deps: { pool: Pool; boss: PgBoss; events: WorkflowEvents; quietSeconds: number; batchSize?: number }) {
  const { pool, boss, events, quietSeconds, batchSize = 100 } = deps;
  let cursor: ReconcileCursor | null = null;

  async function reconcileStep(step: StepToReconcile): Promise<boolean> {
    // A queue deleted since the step was queued leaves nothing to compare with, like a missing job.
    const [job] = await boss.findJobs(step.queue, { id: step.job_id! }).catch(() => [] as JobWithMetadata[]);
    const correction = decideCorrection(step.state, job ?? null, step.state === 'cancelling' || step.workflow_state === 'cancelling');
    if (!correction) return false;

    const pending: PendingEvents = [];
    const applied = await withTransaction(pool, async (client) => {
      const workflow = await findWorkflow(client, step.workflow_id, { forUpdate: true });
      if (!workflow) return false;
      const updated = await updateWorkflowStepState(client, {
        workflowId: step.workflow_id,
        name: step.name,
        from: [step.state as StepState],
        jobId: step.job_id!,
        attempt: step.attempt,
        to: correction.to,
        set: { lastError: correction.error ?? undefined, nextAttemptAt: correction.nextAttemptAt, settled: correction.to === 'cancelled' },
      });
      if (!updated) return false;

      if (correction.cancelJob) await boss.cancel(step.queue, step.job_id!, { db: makePgBossExecutor(client) });
      await insertWorkflowStepEvent(client, {
        workflowId: step.workflow_id,
        stepName: step.name,
        state: correction.to,
        attempt: step.attempt,
        jobId: step.job_id,
        detail: { reconciled_from: step.state, job_state: job!.state, ...(correction.error ? { error: correction.error } : {}) },
      });
      pending.push(['workflow:reconciled', { workflowId: step.workflow_id, step: step.name, from: step.state, to: correction.to, jobState: job!.state }]);
      await refreshWorkflowState(client, workflow, pending);
      return true;
    });
    emitPending(events, pending);
    return applied;
  }

  return {
    /** Runs one pass and returns how many steps it corrected. */
    async reconcile(): Promise<number> {
      const steps = await listStepsToReconcile(pool, { quietSeconds, after: cursor, limit: batchSize });
      const last = steps[steps.length - 1];
      cursor = steps.length < batchSize || !last ? null : { updatedAt: last.updated_at, workflowId: last.workflow_id, name: last.name };

      let corrected = 0;
      for (const step of steps) {
        if (await reconcileStep(step)) corrected += 1;
      }
      return corrected;
    },
  };
}

function readJobError(output: unknown): { name: string; message: string } | null {
  if (!output || typeof output !== 'object') return null;
  const record = output as Record<string, any>;
  const candidate = record.error ?? record.value ?? record;
  if (candidate && typeof candidate.message === 'string') {
    return { name: typeof candidate.name === 'string' ? candidate.name : 'Error', message: candidate.message.slice(0, 2000) };
  }
  return null;
}
