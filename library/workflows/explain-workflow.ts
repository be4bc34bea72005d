import { evidenceLabels } from '../http/render-page';
import { type Explanation, explainWorkflowStep, formatTime, isStranded, listNames, semanticsV1, type ShowValue, showAsStored } from './explain-workflow-step';
import type { WorkflowRow, WorkflowStepRow } from './workflow-rows';
import { satisfiedStates } from './workflow-states';

/**
 * Explains a stored workflow in one sentence an operator can act on: what it waits for, what
 * is running, or who must decide what. Rows of semantics version 1 are explained by what that
 * version recorded, with an evidence label for what it did not.
 */
export function explainWorkflow(workflow: WorkflowRow, steps: WorkflowStepRow[], show: ShowValue = showAsStored): Explanation {
  const v1 = workflow.semantics_version <= semanticsV1;
  const named = (state: string) => steps.filter((step) => step.state === state).map((step) => step.name);
  const done = steps.filter((step) => satisfiedStates.includes(step.state as never)).length;
  const progress = `${done} of ${steps.length} step${steps.length === 1 ? '' : 's'} completed`;

  if (steps.length === 0) {
    return { sentence: `The workflow is ${workflow.state}, but none of its steps are stored, so its progress is unknown.`, evidence: evidenceLabels.unknown };
  }

  switch (workflow.state) {
    case 'waiting': {
      const stranded = steps.filter((step) => isStranded(step, steps)).map((step) => step.name);
      if (stranded.length > 0) {
        const pass = v1 ? 'semantics version 1 released steps in a separate pass, which this version no longer runs' : 'nothing released them';
        return {
          sentence: `Nothing is running: ${listNames(stranded)} had every dependency completed but ${stranded.length === 1 ? 'was' : 'were'} never released, because ${pass}. Retry ${stranded[0]} (retry_workflow_step) to continue, or cancel the workflow (cancel_workflow); ${progress}.`,
          evidence: v1 ? null : evidenceLabels.unknown,
        };
      }
      return { sentence: `Waiting: ${listNames(named('waiting'))} wait${named('waiting').length === 1 ? 's' : ''} for dependencies that have not completed; ${progress}.`, evidence: null };
    }
    case 'runnable':
      return { sentence: `${listNames(named('runnable'))} ${named('runnable').length === 1 ? 'is' : 'are'} queued in pg-boss and waiting for a worker; ${progress}.`, evidence: null };
    case 'executing': {
      const running = [...named('executing'), ...named('cancelling')];
      return { sentence: `Executing ${listNames(running)}; ${progress}.`, evidence: null };
    }
    case 'retrying':
      return explainRetryingWorkflow(steps, progress, show);
    case 'blocked': {
      const blocked = named('blocked');
      const others = [...named('executing'), ...named('runnable'), ...named('retrying')];
      const stillRunning = others.length > 0 ? ` ${listNames(others)} ${others.length === 1 ? 'continues' : 'continue'} meanwhile.` : '';
      return {
        sentence: `Blocked: ${listNames(blocked)} ${blocked.length === 1 ? 'has' : 'have'} no retries left and ${blocked.length === 1 ? 'waits' : 'wait'} for an operator to retry (retry_workflow_step) or cancel (cancel_workflow_step); ${progress}.${stillRunning}`,
        evidence: null,
      };
    }
    case 'cancelling':
      return explainCancellingWorkflow(workflow, steps, v1, show);
    case 'cancelled':
      return explainCancelledWorkflow(workflow, steps, progress, v1, show);
    case 'completed':
      return { sentence: `Completed at ${formatTime(workflow.settled_at)}: all ${steps.length} step${steps.length === 1 ? '' : 's'} completed.`, evidence: null };
    case 'recovered': {
      const recovered = named('recovered');
      const explanations = steps.filter((step) => step.state === 'recovered').map((step) => explainWorkflowStep(step, workflow, steps, show));
      const partial = explanations.some((explanation) => explanation.evidence === evidenceLabels.partial);
      return {
        sentence: `Completed at ${formatTime(workflow.settled_at)} after an operator recovered ${listNames(recovered)}: all ${steps.length} steps completed.${partial ? ` ${v1 ? 'Semantics version 1 did not record' : 'Nothing records'} why ${recovered.length === 1 ? 'it was' : 'they were'} retried.` : ''}`,
        evidence: partial ? evidenceLabels.partial : null,
      };
    }
    default:
      return {
        sentence: `Its stored state "${workflow.state}" is not one this library version knows (semantics version ${workflow.semantics_version}), so what it means is unknown; check its steps before acting.`,
        evidence: evidenceLabels.unknown,
      };
  }
}

function explainRetryingWorkflow(steps: WorkflowStepRow[], progress: string, show: ShowValue): Explanation {
  const retrying = steps.filter((step) => step.state === 'retrying');
  const next = retrying.map((step) => step.next_attempt_at).filter((at): at is Date => at !== null).sort((a, b) => a.getTime() - b.getTime())[0];
  const unknownTime = retrying.some((step) => step.semantics_version <= semanticsV1 && !step.next_attempt_at);
  const first = retrying[0];
  const error = first.last_error?.message ? ` (last error: "${show('job_error', first.last_error.message)}")` : '';

  if (unknownTime) {
    return { sentence: `Retrying ${listNames(retrying.map((step) => step.name))}${error}; pg-boss holds the next attempt, but semantics version 1 did not record when it runs, so that time is unknown; ${progress}.`, evidence: evidenceLabels.unknown };
  }
  const when = next ? `the next attempt starts at ${formatTime(next)}` : 'the next attempt starts as soon as a worker claims it';
  return { sentence: `Retrying ${listNames(retrying.map((step) => step.name))}${error}; ${when}; ${progress}.`, evidence: null };
}

function explainCancellingWorkflow(workflow: WorkflowRow, steps: WorkflowStepRow[], v1: boolean, show: ShowValue): Explanation {
  const running = steps.filter((step) => step.state === 'executing' || step.state === 'cancelling').map((step) => step.name);
  const waitingFor = running.length > 0 ? `waiting for ${listNames(running)} to return before it settles as cancelled` : 'it settles as cancelled with its next step transition';
  if (workflow.cancel_requested_by) {
    const reason = workflow.cancel_reason ? ` with the reason "${show('reason', workflow.cancel_reason)}"` : '';
    return { sentence: `${show('actor_label', workflow.cancel_requested_by)} asked to cancel it at ${formatTime(workflow.cancel_requested_at)}${reason}; ${waitingFor}. No new step starts.`, evidence: null };
  }
  const missing = v1 ? 'semantics version 1 did not record who asked or why' : 'who asked and why were not recorded';
  return { sentence: `A cancel was requested at ${formatTime(workflow.cancel_requested_at)}, but ${missing}; ${waitingFor}. No new step starts.`, evidence: evidenceLabels.unavailable };
}

function explainCancelledWorkflow(workflow: WorkflowRow, steps: WorkflowStepRow[], progress: string, v1: boolean, show: ShowValue): Explanation {
  const at = `Cancelled at ${formatTime(workflow.settled_at ?? workflow.updated_at)} with ${progress}`;
  if (workflow.cancel_requested_by) {
    const reason = workflow.cancel_reason ? ` with the reason "${show('reason', workflow.cancel_reason)}"` : '';
    return { sentence: `${at}; ${show('actor_label', workflow.cancel_requested_by)} asked to cancel it at ${formatTime(workflow.cancel_requested_at)}${reason}.`, evidence: null };
  }
  const cancelledByStep = steps.find((step) => step.state === 'cancelled' && step.cancel_requested_by);
  if (cancelledByStep) {
    return { sentence: `${at}, because ${show('actor_label', cancelledByStep.cancel_requested_by)} cancelled its step ${cancelledByStep.name}.`, evidence: null };
  }
  const missing = v1 ? 'semantics version 1 did not record who asked or why' : 'nothing records who asked or why';
  return { sentence: `${at}; ${missing}.`, evidence: evidenceLabels.unavailable };
}
