/**
 * The one vocabulary of workflow and step states. The same words are stored in SQL (the check
 * constraints of 0010), shown in pages, written in logs and used in the guide.
 *
 * - `waiting`: on dependencies that have not completed yet.
 * - `runnable`: its pg-boss job is queued and no worker has started it.
 * - `executing`: a worker is running an attempt.
 * - `retrying`: an attempt failed and pg-boss will start another at `next_attempt_at`.
 * - `blocked`: retries are exhausted (or the job was settled outside the runtime); an operator decides.
 * - `cancelling`: a cancel was requested while an attempt runs; it settles when the attempt ends.
 * - `cancelled`, `completed`: settled.
 * - `recovered`: settled as completed on an attempt an operator started.
 */
export const workflowStates = ['waiting', 'runnable', 'executing', 'retrying', 'blocked', 'cancelling', 'cancelled', 'completed', 'recovered'] as const;
export type WorkflowState = (typeof workflowStates)[number];

/** Steps use the same words as workflows. */
export type StepState = WorkflowState;

/** The semantics version this library writes. 0011 introduced it; see explain-workflow.ts for what version 1 means. */
export const currentSemanticsVersion = 2;

export const settledStates: readonly WorkflowState[] = ['cancelled', 'completed', 'recovered'];

/** States whose step counts as done for its dependents. */
export const satisfiedStates: readonly StepState[] = ['completed', 'recovered'];

export function isWorkflowState(value: string): value is WorkflowState {
  return (workflowStates as readonly string[]).includes(value);
}

export function isSettled(state: string): boolean {
  return (settledStates as readonly string[]).includes(state);
}

/**
 * Derives a workflow's state from its steps. A cancelling workflow stays cancelling until no
 * attempt runs. Otherwise the state that most needs an operator wins: blocked, then the most
 * active state of any step. A workflow whose steps all settled is cancelled when any step was
 * cancelled, recovered when any was recovered, else completed.
 */
export function deriveWorkflowState(current: string, stepStates: readonly string[]): WorkflowState {
  const has = (state: StepState) => stepStates.includes(state);
  const running = has('executing') || has('cancelling');

  if (current === 'cancelling') return running ? 'cancelling' : 'cancelled';
  if (current === 'cancelled') return 'cancelled';
  if (has('blocked')) return 'blocked';
  if (running) return 'executing';
  if (has('retrying')) return 'retrying';
  if (has('runnable')) return 'runnable';
  if (has('waiting')) return 'waiting';
  if (has('cancelled')) return 'cancelled';
  if (has('recovered')) return 'recovered';
  return 'completed';
}
