import type { PoolClient } from 'pg';
import type { PgBoss } from 'pg-boss';

import { makePgBossExecutor } from '../db/pg-boss-executor';
import { insertWorkflowStepEvent } from './sql/insert-workflow-step-event';
import { listWorkflowStepStates } from './sql/list-workflow-step-states';
import { releaseWorkflowSteps } from './sql/release-workflow-steps';
import { updateWorkflowState } from './sql/update-workflow-state';
import type { WorkflowEventMap } from './workflow-events';
import type { WorkflowRow, WorkflowStepRow } from './workflow-rows';
import { deriveWorkflowState } from './workflow-states';

/** The data of every step job: enough to find the step row, nothing the display policy governs. */
export interface StepJobData {
  workflowId: string;
  workflowName: string;
  step: string;
}

/** Events a transaction collected, emitted only after it committed. */
export type PendingEvents = Array<{ [Name in keyof WorkflowEventMap]: [Name, WorkflowEventMap[Name][0]] }[keyof WorkflowEventMap]>;

export function isStepJobData(data: unknown): data is StepJobData {
  if (!data || typeof data !== 'object') return false;
  const record = data as Record<string, unknown>;
  return typeof record.workflowId === 'string' && typeof record.workflowName === 'string' && typeof record.step === 'string';
}

/**
 * Sends a runnable step's pg-boss job inside the caller's transaction, with the job id already
 * stored on the step, so the step row and its job commit together or not at all.
 */
export async function sendStepJob(client: PoolClient, boss: PgBoss, workflow: Pick<WorkflowRow, 'id' | 'name'>, step: Pick<WorkflowStepRow, 'name' | 'queue' | 'job_id' | 'job_options'>): Promise<void> {
  if (!step.job_id) throw new Error(`Workflow ${workflow.id} step ${step.name} has no job id to send.`);
  const data: StepJobData = { workflowId: workflow.id, workflowName: workflow.name, step: step.name };
  const jobId = await boss.send(step.queue, { ...data }, { ...step.job_options, id: step.job_id, db: makePgBossExecutor(client) });
  if (jobId !== step.job_id) {
    // A singleton or stately queue policy can refuse a second job; the step would then never run.
    throw new Error(`pg-boss did not create job ${step.job_id} for workflow ${workflow.id} step ${step.name} on queue ${step.queue}; use a queue with the standard policy for workflow steps.`);
  }
}

/**
 * Releases the dependents of a step that just completed and sends their jobs, all in the
 * caller's transaction. Nothing is released while the workflow is cancelling or cancelled.
 */
export async function releaseDependents(client: PoolClient, boss: PgBoss, workflow: WorkflowRow, completedStep: string, pending: PendingEvents): Promise<WorkflowStepRow[]> {
  if (workflow.state === 'cancelling' || workflow.state === 'cancelled') return [];

  const released = await releaseWorkflowSteps(client, workflow.id, completedStep);
  for (const step of released) {
    await sendStepJob(client, boss, workflow, step);
    await insertWorkflowStepEvent(client, { workflowId: workflow.id, stepName: step.name, state: 'runnable', attempt: step.attempt, jobId: step.job_id, detail: { released_by: completedStep } });
    pending.push(['workflow:step_released', { workflowId: workflow.id, step: step.name, queue: step.queue, jobId: step.job_id! }]);
  }
  return released;
}

/**
 * Derives the workflow's state from its steps and stores it with a timeline event when it
 * changed; an unchanged state writes nothing. Call it last in every transaction that changed a
 * step, with the workflow row as that transaction locked it.
 */
export async function refreshWorkflowState(client: PoolClient, workflow: WorkflowRow, pending: PendingEvents): Promise<WorkflowRow> {
  const state = deriveWorkflowState(workflow.state, await listWorkflowStepStates(client, workflow.id));
  if (state === workflow.state) return workflow;

  const updated = await updateWorkflowState(client, workflow.id, state);
  await insertWorkflowStepEvent(client, { workflowId: workflow.id, stepName: null, state, detail: { from: workflow.state } });
  pending.push(['workflow:state_changed', { workflowId: workflow.id, from: workflow.state, to: state }]);
  return updated;
}

/** Emits events collected during a transaction, once it committed. */
export function emitPending(events: { emit: (...args: any[]) => boolean }, pending: PendingEvents): void {
  for (const [name, payload] of pending) events.emit(name, payload);
}
