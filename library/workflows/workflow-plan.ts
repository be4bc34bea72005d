import { createHash } from 'node:crypto';

/** Names of workflows and steps: the pattern the tables' check constraints enforce. */
export const workflowNamePattern = /^[A-Za-z0-9_.-]{1,100}$/;

/** pg-boss retry and expiry options a step may set; unset ones come from its queue. */
export interface StepJobOptions {
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  retryDelayMax?: number;
  expireInSeconds?: number;
  priority?: number;
}

/** One step: a pg-boss job on `queue` that runs once every step in `dependsOn` has completed. */
export interface WorkflowStepPlan<StepName extends string = string> extends StepJobOptions {
  name: StepName;
  queue: string;
  /** Steps that must complete first. `NoInfer` makes a misspelt name a type error in a literal plan. */
  dependsOn?: readonly NoInfer<StepName>[];
  /** JSON data the step's handler receives. */
  data?: Record<string, unknown>;
}

export interface WorkflowPlan<StepName extends string = string> {
  /** Workflow name, e.g. `invoice_run`; shown in pages and filters. */
  name: string;
  steps: readonly WorkflowStepPlan<StepName>[];
  /** JSON input every step's handler receives. */
  input?: Record<string, unknown>;
  /** A second insert with the same workflow name and key returns the first workflow. */
  idempotencyKey?: string;
}

/** A plan that passed validation, its steps in plan order, with a digest of its content. */
export interface ValidatedWorkflowPlan {
  name: string;
  input: Record<string, unknown>;
  idempotencyKey: string | null;
  steps: Array<{ name: string; queue: string; dependsOn: string[]; data: Record<string, unknown>; jobOptions: StepJobOptions; position: number }>;
  /** sha256 of the plan without its idempotency key, to tell a repeated insert from a conflicting one. */
  digest: string;
}

/** A plan that cannot form a workflow. Thrown by insert before anything is written. */
export class WorkflowPlanError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowPlanError';
  }
}

const jobOptionNames = ['retryLimit', 'retryDelay', 'retryBackoff', 'retryDelayMax', 'expireInSeconds', 'priority'] as const;

/**
 * Checks a plan and returns it normalised. Throws `WorkflowPlanError` naming every duplicate
 * step name, every dependency on an unknown step, and one cycle as a path, so the caller can
 * fix them all from one message.
 */
export function validateWorkflowPlan(plan: WorkflowPlan): ValidatedWorkflowPlan {
  if (!plan || typeof plan !== 'object') throw new WorkflowPlanError(`A workflow plan must be an object with name and steps, got ${plan === null ? 'null' : typeof plan}.`);
  if (typeof plan.name !== 'string' || !workflowNamePattern.test(plan.name)) {
    throw new WorkflowPlanError(`Workflow name ${JSON.stringify(plan.name)} is invalid: use 1 to 100 letters, digits, "_", "." or "-".`);
  }
  if (!Array.isArray(plan.steps) || plan.steps.length === 0) {
    throw new WorkflowPlanError(`Workflow ${plan.name} has no steps: pass at least one { name, queue }.`);
  }
  if (plan.steps.length > 500) {
    throw new WorkflowPlanError(`Workflow ${plan.name} has ${plan.steps.length} steps; the maximum is 500. Split it into several workflows.`);
  }
  const idempotencyKey = plan.idempotencyKey ?? null;
  if (idempotencyKey !== null && (typeof idempotencyKey !== 'string' || idempotencyKey.length < 1 || idempotencyKey.length > 200)) {
    throw new WorkflowPlanError(`Workflow ${plan.name}: idempotencyKey must be a string of 1 to 200 characters.`);
  }

  const steps = plan.steps.map((step, position) => normaliseStep(plan.name, step, position));
  rejectDuplicates(plan.name, steps.map((step) => step.name));
  rejectUnknownDependencies(plan.name, steps);
  rejectCycle(plan.name, steps);

  const input = requireJsonObject(plan.input ?? {}, `Workflow ${plan.name}: input`);
  const digest = createHash('sha256').update(JSON.stringify({ name: plan.name, input, steps })).digest('hex');
  return { name: plan.name, input, idempotencyKey, steps, digest };
}

function normaliseStep(workflowName: string, step: WorkflowStepPlan, position: number): ValidatedWorkflowPlan['steps'][number] {
  if (!step || typeof step !== 'object') throw new WorkflowPlanError(`Workflow ${workflowName}: step ${position + 1} must be an object with name and queue.`);
  if (typeof step.name !== 'string' || !workflowNamePattern.test(step.name)) {
    throw new WorkflowPlanError(`Workflow ${workflowName}: step name ${JSON.stringify(step.name)} is invalid: use 1 to 100 letters, digits, "_", "." or "-".`);
  }
  if (typeof step.queue !== 'string' || step.queue.length === 0) {
    throw new WorkflowPlanError(`Workflow ${workflowName}: step ${step.name} needs a queue, the pg-boss queue its job goes to.`);
  }
  const dependsOn = step.dependsOn ?? [];
  if (!Array.isArray(dependsOn) || dependsOn.some((name) => typeof name !== 'string')) {
    throw new WorkflowPlanError(`Workflow ${workflowName}: step ${step.name} dependsOn must be an array of step names.`);
  }

  const jobOptions: StepJobOptions = {};
  for (const option of jobOptionNames) {
    const value = step[option];
    if (value === undefined) continue;
    if (option === 'retryBackoff' ? typeof value !== 'boolean' : !(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
      throw new WorkflowPlanError(`Workflow ${workflowName}: step ${step.name} option ${option} must be ${option === 'retryBackoff' ? 'true or false' : 'a whole number of 0 or more'}, got ${JSON.stringify(value)}.`);
    }
    (jobOptions as Record<string, unknown>)[option] = value;
  }

  return {
    name: step.name,
    queue: step.queue,
    dependsOn: [...new Set(dependsOn)],
    data: requireJsonObject(step.data ?? {}, `Workflow ${workflowName}: step ${step.name} data`),
    jobOptions,
    position,
  };
}

function rejectDuplicates(workflowName: string, names: string[]): void {
  const duplicates = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  if (duplicates.length === 0) return;
  throw new WorkflowPlanError(`Workflow ${workflowName} names these steps more than once: ${duplicates.join(', ')}. Give every step a unique name.`);
}

function rejectUnknownDependencies(workflowName: string, steps: ValidatedWorkflowPlan['steps']): void {
  const known = new Set(steps.map((step) => step.name));
  const unknown = steps.flatMap((step) => step.dependsOn.filter((name) => !known.has(name)).map((name) => `${step.name} depends on ${name}`));
  if (unknown.length === 0) return;
  throw new WorkflowPlanError(`Workflow ${workflowName} has dependencies on unknown steps: ${unknown.join('; ')}. Known steps: ${[...known].join(', ')}.`);
}

/** Finds one cycle by depth-first search and names it as a path, e.g. "a -> b -> a". */
function rejectCycle(workflowName: string, steps: ValidatedWorkflowPlan['steps']): void {
  const dependencies = new Map(steps.map((step) => [step.name, step.dependsOn]));
  const finished = new Set<string>();
  const path: string[] = [];

  const visit = (name: string): string[] | null => {
    if (finished.has(name)) return null;
    const start = path.indexOf(name);
    if (start !== -1) return [...path.slice(start), name];
    path.push(name);
    for (const dependency of dependencies.get(name) ?? []) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    finished.add(name);
    return null;
  };

  for (const step of steps) {
    const cycle = visit(step.name);
    if (!cycle) continue;
    // The search walks from a step to what it depends on; the message reads in run order.
    throw new WorkflowPlanError(`Workflow ${workflowName} has a dependency cycle: ${cycle.reverse().join(' -> ')}. A step cannot wait for itself; remove one of these dependencies.`);
  }
}

function requireJsonObject(value: unknown, label: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WorkflowPlanError(`${label} must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}.`);
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new WorkflowPlanError(`${label} is not JSON: ${(error as Error).message}.`);
  }
  return JSON.parse(text) as Record<string, unknown>;
}
