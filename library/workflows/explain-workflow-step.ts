import { evidenceLabels } from '../http/render-page';
import type { WorkflowRow, WorkflowStepRow } from './workflow-rows';
import { satisfiedStates } from './workflow-states';

/** One plain sentence about a stored row, and the evidence label when part of its story was never recorded. */
export interface Explanation {
  sentence: string;
  evidence: (typeof evidenceLabels)[keyof typeof evidenceLabels] | null;
}

/**
 * Renders values the display policy governs. Pages pass their bound display function; the
 * default shows values as stored, for logs and tests.
 */
export type ShowValue = (kind: 'actor_label' | 'reason' | 'job_error', value: unknown) => string;

export const showAsStored: ShowValue = (_kind, value) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The last semantics version whose rows lack evidence. Version 1 did not record who asked for a
 * cancel or a recovery and why, when a retrying step runs next, or a timeline of transitions,
 * so explanations call these missing instead of guessing. Version 1 also released a step in a
 * separate pass after its dependencies completed. The current runtime releases it in the
 * transaction that completes the last dependency, so a version 1 step still waiting then is stranded.
 */
export const semanticsV1 = 1;

export function formatTime(value: Date | null | undefined): string {
  return value ? value.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'an unknown time';
}

export function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Lists the dependencies of `step` that have not completed, in plan order. */
export function findPendingDependencies(step: WorkflowStepRow, steps: WorkflowStepRow[]): WorkflowStepRow[] {
  return steps.filter((other) => step.depends_on.includes(other.name) && !satisfiedStates.includes(other.state as never));
}

/** True for a waiting step whose dependencies all completed: nothing will release it without an operator. */
export function isStranded(step: WorkflowStepRow, steps: WorkflowStepRow[]): boolean {
  if (step.state !== 'waiting') return false;
  const known = steps.filter((other) => step.depends_on.includes(other.name));
  return known.length === step.depends_on.length && findPendingDependencies(step, steps).length === 0;
}

/**
 * Explains one stored step in a sentence an operator can act on. It works on rows of every
 * semantics version, and marks what version 1 did not record with an evidence label.
 */
export function explainWorkflowStep(step: WorkflowStepRow, workflow: WorkflowRow, steps: WorkflowStepRow[], show: ShowValue = showAsStored): Explanation {
  const v1 = step.semantics_version <= semanticsV1;
  const error = step.last_error?.message ? show('job_error', step.last_error.message) : null;
  const failed = error ? `failed with "${error}"` : 'failed (its error was not recorded)';
  const recovery = describeRecovery(step, show);

  switch (step.state) {
    case 'waiting':
      return explainWaiting(step, steps, v1);
    case 'runnable':
      if (!step.job_id) return { sentence: `Runnable on queue ${step.queue}, but no pg-boss job is recorded for it, so whether it will run is unknown. Retry it (retry_workflow_step) to queue a job.`, evidence: evidenceLabels.unknown };
      return { sentence: `Queued as pg-boss job ${step.job_id} on queue ${step.queue}; a worker starts attempt ${step.attempt + 1} when one is free.${recovery.sentence}`, evidence: recovery.evidence };
    case 'executing':
      // Semantics version 1 left a running step executing when its workflow was cancelled.
      if (workflow.state === 'cancelling') return explainCancelling(step, workflow, v1, show);
      return { sentence: `Attempt ${step.attempt} started at ${formatTime(step.started_at)} on job ${step.job_id ?? 'unknown'} (queue ${step.queue}); it settles when the handler returns or when pg-boss expires the attempt.${recovery.sentence}`, evidence: recovery.evidence };
    case 'retrying':
      return explainRetrying(step, failed, v1);
    case 'blocked':
      return {
        sentence: `Attempt ${step.attempt} ${failed} and pg-boss has no retries left, so the step waits for an operator: retry it (retry_workflow_step) or cancel it (cancel_workflow_step).`,
        evidence: error ? null : evidenceLabels.unknown,
      };
    case 'cancelling':
      return explainCancelling(step, workflow, v1, show);
    case 'cancelled':
      return explainCancelled(step, workflow, steps, v1, show);
    case 'completed':
      return { sentence: `Completed at ${formatTime(step.settled_at)} on attempt ${step.attempt}.`, evidence: null };
    case 'recovered':
      return { sentence: `Completed at ${formatTime(step.settled_at)} on attempt ${step.attempt}, after an operator recovered it:${recovery.sentence}`, evidence: recovery.evidence };
    default:
      return {
        sentence: `Its stored state "${step.state}" is not one this library version knows (semantics version ${step.semantics_version}), so what it means is unknown; inspect pg-boss job ${step.job_id ?? '(none recorded)'} before acting.`,
        evidence: evidenceLabels.unknown,
      };
  }
}

function explainWaiting(step: WorkflowStepRow, steps: WorkflowStepRow[], v1: boolean): Explanation {
  const pending = findPendingDependencies(step, steps);
  const missing = step.depends_on.filter((name) => !steps.some((other) => other.name === name));
  if (missing.length > 0) {
    return { sentence: `Waiting for ${listNames(missing)}, which this workflow has no record of, so it will not be released by itself. Cancel it (cancel_workflow_step) or retry it (retry_workflow_step).`, evidence: evidenceLabels.unknown };
  }

  if (pending.length > 0) {
    const blocked = pending.filter((dependency) => dependency.state === 'blocked').map((dependency) => dependency.name);
    const blockedNote = blocked.length > 0 ? ` ${listNames(blocked)} ${blocked.length === 1 ? 'is' : 'are'} blocked, so resolve ${blocked.length === 1 ? 'it' : 'them'} first.` : '';
    return { sentence: `Waiting for ${listNames(pending.map((dependency) => dependency.name))} to complete; it becomes runnable when the last of them completes.${blockedNote}`, evidence: null };
  }

  if (v1) {
    return {
      sentence: `Its dependencies ${listNames(step.depends_on)} all completed, but it was never released: semantics version 1 released steps in a separate pass, which this version no longer runs. Retry it (retry_workflow_step) to run it now, or cancel it (cancel_workflow_step).`,
      evidence: null,
    };
  }
  return {
    sentence: `Its dependencies ${listNames(step.depends_on)} all completed, but it was not released, which the current runtime never stores; why is unknown. Retry it (retry_workflow_step) to run it now.`,
    evidence: evidenceLabels.unknown,
  };
}

function explainRetrying(step: WorkflowStepRow, failed: string, v1: boolean): Explanation {
  if (v1) {
    return {
      sentence: `Attempt ${step.attempt} ${failed}; pg-boss retries it on job ${step.job_id ?? 'unknown'}, but semantics version 1 did not record when, so the next attempt time is unknown.`,
      evidence: evidenceLabels.unknown,
    };
  }
  const when = step.next_attempt_at ? `at ${formatTime(step.next_attempt_at)}` : 'as soon as a worker claims it';
  return { sentence: `Attempt ${step.attempt} ${failed}; pg-boss starts attempt ${step.attempt + 1} on job ${step.job_id ?? 'unknown'} ${when}.`, evidence: null };
}

function explainCancelling(step: WorkflowStepRow, workflow: WorkflowRow, v1: boolean, show: ShowValue): Explanation {
  const still = `Attempt ${step.attempt} is still running, and the step settles as cancelled when it returns or pg-boss expires it.`;
  const request = describeCancelRequest(step, workflow, show);
  if (request) return { sentence: `${request} ${still}`, evidence: null };

  const requestedAt = step.cancel_requested_at ?? workflow.cancel_requested_at;
  const whoMissing = v1 ? 'semantics version 1 did not record who asked or why' : 'who asked and why were not recorded';
  return { sentence: `A cancel was requested at ${formatTime(requestedAt)}, but ${whoMissing}. ${still}`, evidence: evidenceLabels.unavailable };
}

function explainCancelled(step: WorkflowStepRow, workflow: WorkflowRow, steps: WorkflowStepRow[], v1: boolean, show: ShowValue): Explanation {
  const at = `Cancelled at ${formatTime(step.settled_at ?? step.updated_at)}`;
  const request = describeCancelRequest(step, workflow, show);
  if (step.cancel_requested_by) return { sentence: `${at}. ${request}`, evidence: null };

  if (request) return { sentence: `${at} with the workflow. ${request}`, evidence: null };
  const cancelledDependency = steps.find((other) => step.depends_on.includes(other.name) && other.state === 'cancelled');
  if (cancelledDependency && !workflow.cancel_requested_at) {
    return { sentence: `${at} because its dependency ${cancelledDependency.name} was cancelled, so it could never run.`, evidence: null };
  }
  if (workflow.cancel_requested_at) {
    return { sentence: `${at} with the workflow, whose cancel was requested at ${formatTime(workflow.cancel_requested_at)}; ${v1 ? 'semantics version 1 did not record' : 'nothing records'} who asked or why.`, evidence: evidenceLabels.unavailable };
  }
  return { sentence: `${at}; ${v1 ? 'semantics version 1 did not record' : 'nothing records'} who cancelled it or why.`, evidence: evidenceLabels.unavailable };
}

/** "ops-demo asked to cancel ... at T (reason)." for the step's own request or its workflow's, or null when none names who asked. */
function describeCancelRequest(step: WorkflowStepRow, workflow: WorkflowRow, show: ShowValue): string | null {
  if (step.cancel_requested_by) {
    return `${show('actor_label', step.cancel_requested_by)} asked to cancel this step at ${formatTime(step.cancel_requested_at)}${step.cancel_reason ? ` with the reason "${show('reason', step.cancel_reason)}"` : ''}.`;
  }
  if (workflow.cancel_requested_by) {
    return `${show('actor_label', workflow.cancel_requested_by)} asked to cancel the workflow at ${formatTime(workflow.cancel_requested_at)}${workflow.cancel_reason ? ` with the reason "${show('reason', workflow.cancel_reason)}"` : ''}.`;
  }
  return null;
}

/** " ops-demo retried it at T (reason)." with the evidence label when version 1 left the reason out. */
function describeRecovery(step: WorkflowStepRow, show: ShowValue): Explanation {
  if (!step.recovered_at) return { sentence: '', evidence: null };
  const actor = step.recovered_by ? show('actor_label', step.recovered_by) : 'an operator';
  if (step.recovery_reason) return { sentence: ` ${actor} retried it at ${formatTime(step.recovered_at)} with the reason "${show('reason', step.recovery_reason)}".`, evidence: null };
  const missing = step.semantics_version <= semanticsV1 ? 'semantics version 1 did not record why' : 'why was not recorded';
  return { sentence: ` ${actor} retried it at ${formatTime(step.recovered_at)}; ${missing}.`, evidence: evidenceLabels.partial };
}
