import { randomUUID } from 'node:crypto';

import type { PoolClient } from 'pg';
import type { PgBoss } from 'pg-boss';

import { makePgBossExecutor } from '../db/pg-boss-executor';
import type { AuditPrincipal } from '../seams';
import { isStranded, listNames } from '../workflows/explain-workflow-step';
import { insertWorkflowStepEvent } from '../workflows/sql/insert-workflow-step-event';
import { requestWorkflowCancel } from '../workflows/sql/request-workflow-cancel';
import { updateWorkflowStepState } from '../workflows/sql/update-workflow-step-state';
import { refreshWorkflowState, sendStepJob } from '../workflows/step-transitions';
import { findDependents, loadWorkflowStepTarget, loadWorkflowTarget, type WorkflowStepTarget, type WorkflowTarget } from '../workflows/workflow-targets';
import type { WorkflowRow, WorkflowStepRow } from '../workflows/workflow-rows';
import { deriveWorkflowState, isSettled, type StepState } from '../workflows/workflow-states';
import type { ActionDefinition } from './action-definition';

const cancellableStepStates: readonly string[] = ['waiting', 'runnable', 'retrying', 'blocked', 'executing'];
const queuedJobStates: readonly string[] = ['runnable', 'retrying'];

export const cancelWorkflowAction: ActionDefinition<WorkflowTarget> = {
  name: 'cancel_workflow',
  resourceType: 'workflow',
  verb: 'Cancel workflow',
  load: (db, id, options) => loadWorkflowTarget(db, id, options),
  fingerprint: ({ workflow }) => ({ state: workflow.state, cancel_requested_at: workflow.cancel_requested_at?.toISOString() ?? null }),
  describeState: ({ workflow }) => workflow.state,
  findInapplicability: ({ workflow }) => {
    if (workflow.state === 'cancelling') return `Workflow ${workflow.id} is already cancelling.`;
    if (isSettled(workflow.state)) return `Workflow ${workflow.id} is already ${workflow.state}; there is nothing left to cancel.`;
    return null;
  },
  describeChange: ({ workflow, steps }) => {
    const stopped = steps.filter((step) => cancellableStepStates.includes(step.state) && step.state !== 'executing').map((step) => step.name);
    const running = steps.filter((step) => step.state === 'executing').map((step) => step.name);
    const settledSteps = steps.filter((step) => isSettled(step.state)).map((step) => step.name);
    return [
      stopped.length > 0 ? `${listNames(stopped)} ${stopped.length === 1 ? 'is' : 'are'} cancelled now, and their queued pg-boss jobs with them.` : 'No step is waiting or queued.',
      running.length > 0
        ? `${listNames(running)} ${running.length === 1 ? 'is' : 'are'} executing: ${running.length === 1 ? 'it becomes' : 'they become'} cancelling and settle${running.length === 1 ? 's' : ''} as cancelled when the attempt returns, and the workflow stays cancelling until then.`
        : `Workflow ${workflow.id} becomes cancelled at once.`,
      settledSteps.length > 0 ? `${listNames(settledSteps)} already settled and ${settledSteps.length === 1 ? 'keeps its' : 'keep their'} result.` : 'No step has settled yet.',
      'No new step starts.',
    ];
  },
  async apply({ client, boss, principal, reason }, { workflow, steps }) {
    const requested = await requestWorkflowCancel(client, workflow.id, principal.label, reason);
    if (!requested) return null;

    await insertWorkflowStepEvent(client, { workflowId: workflow.id, stepName: null, state: 'cancelling', action: 'cancel_workflow', actorLabel: principal.label, detail: { from: workflow.state } });
    const changed = await stopSteps(client, boss, requested, steps.filter((step) => cancellableStepStates.includes(step.state)), { action: 'cancel_workflow', principal });
    const refreshed = await refreshWorkflowState(client, requested, []);
    return { after: { state: refreshed.state }, steps: changed };
  },
};

export const retryWorkflowStepAction: ActionDefinition<WorkflowStepTarget> = {
  name: 'retry_workflow_step',
  resourceType: 'workflow_step',
  verb: 'Retry step',
  load: (db, id, options) => loadWorkflowStepTarget(db, id, options),
  fingerprint: stepFingerprint,
  describeState: ({ step }) => step.state,
  findInapplicability: ({ workflow, step, steps }) => {
    if (workflow.state === 'cancelling' || isSettled(workflow.state)) return `Workflow ${workflow.id} is ${workflow.state}; a step of it cannot be retried.`;
    if (step.state === 'blocked' || isStranded(step, steps)) return null;
    return `Step ${step.name} is ${step.state}; only a blocked step, or a waiting one whose dependencies all completed, can be retried.`;
  },
  describeChange: ({ step, steps }) => {
    const dependents = findDependents(step.name, steps).map((dependent) => dependent.name);
    return [
      `A new pg-boss job on queue ${step.queue} runs attempt ${step.attempt + 1} of ${step.name}, with the step's own retry policy.`,
      `${step.name} becomes runnable; when it completes it is recorded as recovered, with you as the operator who recovered it.`,
      dependents.length > 0 ? `After it completes, ${listNames(dependents)} run${dependents.length === 1 ? 's' : ''} as planned.` : `${step.name} has no dependents.`,
      step.job_id ? `The earlier job ${step.job_id} stays in pg-boss as history.` : 'No earlier pg-boss job exists for it.',
    ];
  },
  async apply({ client, boss, principal, reason }, { workflow, step }) {
    const retried = await updateWorkflowStepState(client, {
      workflowId: workflow.id,
      name: step.name,
      from: [step.state as StepState],
      attempt: step.attempt,
      to: 'runnable',
      set: { newJobId: randomUUID(), nextAttemptAt: null, recovered: { by: principal.label, reason } },
    });
    if (!retried) return null;

    await sendStepJob(client, boss, workflow, retried);
    await insertWorkflowStepEvent(client, { workflowId: workflow.id, stepName: step.name, state: 'runnable', attempt: retried.attempt, jobId: retried.job_id, action: 'retry_workflow_step', actorLabel: principal.label, detail: { from: step.state, previous_job_id: step.job_id } });
    const refreshed = await refreshWorkflowState(client, workflow, []);
    return { after: { step: stepFingerprint({ step: retried }), workflow_state: refreshed.state }, job_id: retried.job_id };
  },
};

export const cancelWorkflowStepAction: ActionDefinition<WorkflowStepTarget> = {
  name: 'cancel_workflow_step',
  resourceType: 'workflow_step',
  verb: 'Cancel step',
  load: (db, id, options) => loadWorkflowStepTarget(db, id, options),
  fingerprint: stepFingerprint,
  describeState: ({ step }) => step.state,
  findInapplicability: ({ workflow, step }) => {
    if (workflow.state === 'cancelling' || isSettled(workflow.state)) return `Workflow ${workflow.id} is ${workflow.state}; its steps are already settling.`;
    if (!cancellableStepStates.includes(step.state)) return `Step ${step.name} is ${step.state}; only a step that has not settled can be cancelled.`;
    return null;
  },
  describeChange: ({ workflow, step, steps }) => {
    const dependents = findDependents(step.name, steps).filter((dependent) => dependent.state === 'waiting').map((dependent) => dependent.name);
    const after = steps.map((other) => stateAfterStepCancel(other, step, dependents));
    return [
      step.state === 'executing'
        ? `${step.name} is executing: it becomes cancelling and settles as cancelled when attempt ${step.attempt} returns; its result is kept but releases nothing.`
        : `${step.name} is cancelled now${queuedJobStates.includes(step.state) ? `, and its queued pg-boss job ${step.job_id} with it` : ''}.`,
      dependents.length > 0 ? `${listNames(dependents)} depend${dependents.length === 1 ? 's' : ''} on it and can never run, so ${dependents.length === 1 ? 'it is' : 'they are'} cancelled too.` : 'No waiting step depends on it.',
      `Workflow ${workflow.id} becomes ${deriveWorkflowState(workflow.state, after)}; other branches keep running.`,
    ];
  },
  async apply({ client, boss, principal, reason }, { workflow, step, steps }) {
    const dependents = findDependents(step.name, steps).filter((dependent) => dependent.state === 'waiting');
    const changed = await stopSteps(client, boss, workflow, [step], { action: 'cancel_workflow_step', principal, reason });
    if (changed.length === 0) return null;

    const cascaded = await stopSteps(client, boss, workflow, dependents, { action: 'cancel_workflow_step', principal, cancelledWith: step.name });
    const refreshed = await refreshWorkflowState(client, workflow, []);
    return { after: { step: changed[0], workflow_state: refreshed.state }, cascaded };
  },
};

/** The audited actions on workflows and their steps, by name. */
export const workflowActions: Record<string, ActionDefinition<WorkflowTarget>> = {
  cancel_workflow: cancelWorkflowAction,
};

export const workflowStepActions: Record<string, ActionDefinition<WorkflowStepTarget>> = {
  retry_workflow_step: retryWorkflowStepAction,
  cancel_workflow_step: cancelWorkflowStepAction,
};

/** The state `other` has once `cancelled` and its waiting `dependents` are cancelled, for the preview. */
function stateAfterStepCancel(other: WorkflowStepRow, cancelled: WorkflowStepRow, dependents: string[]): string {
  if (other.name === cancelled.name) return cancelled.state === 'executing' ? 'cancelling' : 'cancelled';
  if (dependents.includes(other.name)) return 'cancelled';
  return other.state;
}

function stepFingerprint({ step }: Pick<WorkflowStepTarget, 'step'>): Record<string, unknown> {
  return { state: step.state, attempt: step.attempt, job_id: step.job_id };
}

/**
 * Cancels steps that have not started and marks executing ones cancelling, with their queued
 * pg-boss jobs cancelled in the same transaction. `reason` is stored on a step only when the
 * operator cancelled that step itself. Returns what changed, for the audit event.
 */
async function stopSteps(
  client: PoolClient,
  boss: PgBoss,
  workflow: WorkflowRow,
  steps: WorkflowStepRow[],
  context: { action: string; principal: AuditPrincipal; reason?: string; cancelledWith?: string },
): Promise<Array<{ step: string; from: string; to: string }>> {
  const changed: Array<{ step: string; from: string; to: string }> = [];
  for (const step of steps) {
    const to: StepState = step.state === 'executing' ? 'cancelling' : 'cancelled';
    const updated = await updateWorkflowStepState(client, {
      workflowId: workflow.id,
      name: step.name,
      from: [step.state as StepState],
      attempt: step.attempt,
      to,
      set: { settled: to === 'cancelled', nextAttemptAt: null, ...(context.reason ? { cancelRequested: { by: context.principal.label, reason: context.reason } } : {}) },
    });
    if (!updated) continue;

    if (step.job_id && queuedJobStates.includes(step.state)) await boss.cancel(step.queue, step.job_id, { db: makePgBossExecutor(client) });
    await insertWorkflowStepEvent(client, {
      workflowId: workflow.id,
      stepName: step.name,
      state: to,
      attempt: step.attempt,
      jobId: step.job_id,
      action: context.action,
      actorLabel: context.principal.label,
      detail: { from: step.state, ...(context.cancelledWith ? { cancelled_with: context.cancelledWith } : {}) },
    });
    changed.push({ step: step.name, from: step.state, to });
  }
  return changed;
}
