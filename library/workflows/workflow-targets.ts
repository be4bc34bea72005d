import type { Queryable } from '../db/with-transaction';
import { findWorkflow } from './sql/find-workflow';
import { listWorkflowSteps } from './sql/list-workflow-steps';
import type { WorkflowRow, WorkflowStepRow } from './workflow-rows';

/** A workflow as an operator action sees it: the row and all of its steps. */
export interface WorkflowTarget {
  workflow: WorkflowRow;
  steps: WorkflowStepRow[];
}

/** One step as an operator action sees it, with its workflow and sibling steps. */
export interface WorkflowStepTarget extends WorkflowTarget {
  step: WorkflowStepRow;
}

/** The audit resource id of a step: `<workflow id>:<step name>`. Step names cannot contain ":". */
export function stepResourceId(workflowId: string, stepName: string): string {
  return `${workflowId}:${stepName}`;
}

/**
 * Loads a workflow with its steps. With `forUpdate` the workflow row stays locked, which every
 * step transition takes first, so the steps cannot change under the caller.
 */
export async function loadWorkflowTarget(db: Queryable, workflowId: string, options: { forUpdate: boolean }): Promise<WorkflowTarget | null> {
  const workflow = await findWorkflow(db, workflowId, options);
  if (!workflow) return null;
  return { workflow, steps: await listWorkflowSteps(db, workflow.id) };
}

export async function loadWorkflowStepTarget(db: Queryable, resourceId: string, options: { forUpdate: boolean }): Promise<WorkflowStepTarget | null> {
  const separator = resourceId.indexOf(':');
  if (separator === -1) return null;
  const target = await loadWorkflowTarget(db, resourceId.slice(0, separator), options);
  const step = target?.steps.find((candidate) => candidate.name === resourceId.slice(separator + 1));
  return target && step ? { ...target, step } : null;
}

/** Every step that depends on `stepName` directly or through other steps, in plan order. */
export function findDependents(stepName: string, steps: WorkflowStepRow[]): WorkflowStepRow[] {
  const found = new Set<string>([stepName]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of steps) {
      if (!found.has(step.name) && step.depends_on.some((name) => found.has(name))) {
        found.add(step.name);
        grew = true;
      }
    }
  }
  return steps.filter((step) => step.name !== stepName && found.has(step.name));
}
