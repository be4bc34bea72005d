import { randomUUID } from 'node:crypto';

import type { Pool, PoolClient } from 'pg';
import type { PgBoss } from 'pg-boss';

import { withTransaction } from '../db/with-transaction';
import { findWorkflowByIdempotencyKey } from './sql/find-workflow-by-idempotency-key';
import { insertWorkflow } from './sql/insert-workflow';
import { insertWorkflowStepEvent } from './sql/insert-workflow-step-event';
import { insertWorkflowSteps } from './sql/insert-workflow-steps';
import { emitPending, type PendingEvents, sendStepJob } from './step-transitions';
import type { WorkflowEvents } from './workflow-events';
import { type ValidatedWorkflowPlan, validateWorkflowPlan, type WorkflowPlan, WorkflowPlanError } from './workflow-plan';
import type { WorkflowRow } from './workflow-rows';
import { currentSemanticsVersion, type WorkflowState } from './workflow-states';

export interface InsertedWorkflow {
  id: string;
  /** False when the idempotency key returned a workflow inserted earlier. */
  created: boolean;
  state: WorkflowState;
}

/** An idempotency key that an earlier, different plan of the same workflow already holds. */
export class WorkflowIdempotencyError extends Error {
  readonly workflowId: string;

  constructor(workflowId: string, message: string) {
    super(message);
    this.name = 'WorkflowIdempotencyError';
    this.workflowId = workflowId;
  }
}

export interface InsertDeps {
  pool: Pool;
  boss: PgBoss;
  events: WorkflowEvents;
  /** Queues already seen to exist, so repeated inserts do not ask pg-boss again. */
  knownQueues: Set<string>;
}

/**
 * Inserts a workflow and sends the jobs of its root steps, in one transaction: the caller's when
 * `client` is given (the workflow then commits with the caller's own writes), else a new one.
 * The plan is validated first and nothing is written when it is invalid. A repeated idempotency
 * key returns the first workflow with `created: false`; a different plan under the same key
 * throws `WorkflowIdempotencyError`.
 */
export async function insertWorkflowPlan(deps: InsertDeps, plan: WorkflowPlan, options: { client?: PoolClient } = {}): Promise<InsertedWorkflow> {
  const validated = validateWorkflowPlan(plan);
  await requireQueues(deps, validated);

  const pending: PendingEvents = [];
  const work = (client: PoolClient) => insertInTransaction(client, deps.boss, validated, pending);
  const inserted = options.client ? await work(options.client) : await withTransaction(deps.pool, work);

  // With a caller's client the transaction may still roll back; the event then names a workflow that never committed.
  emitPending(deps.events, pending);
  deps.events.emit('workflow:inserted', { workflowId: inserted.id, name: validated.name, steps: validated.steps.length, created: inserted.created });
  return inserted;
}

async function insertInTransaction(client: PoolClient, boss: PgBoss, plan: ValidatedWorkflowPlan, pending: PendingEvents): Promise<InsertedWorkflow> {
  const id = randomUUID();
  const steps = plan.steps.map((step) => {
    const root = step.dependsOn.length === 0;
    return { ...step, state: (root ? 'runnable' : 'waiting') as WorkflowState, jobId: root ? randomUUID() : null };
  });

  const workflow = await insertWorkflow(client, { id, plan, state: 'runnable', semanticsVersion: currentSemanticsVersion });
  if (!workflow) return returnExisting(client, plan);

  await insertWorkflowSteps(client, id, steps, currentSemanticsVersion);
  for (const step of steps) {
    if (step.jobId) await sendStepJob(client, boss, workflow, { name: step.name, queue: step.queue, job_id: step.jobId, job_options: step.jobOptions });
    await insertWorkflowStepEvent(client, { workflowId: id, stepName: step.name, state: step.state, attempt: 0, jobId: step.jobId, detail: step.dependsOn.length > 0 ? { waiting_for: step.dependsOn } : { queued_on_insert: true } });
    if (step.jobId) pending.push(['workflow:step_released', { workflowId: id, step: step.name, queue: step.queue, jobId: step.jobId }]);
  }
  return { id, created: true, state: 'runnable' };
}

async function returnExisting(client: PoolClient, plan: ValidatedWorkflowPlan): Promise<InsertedWorkflow> {
  const existing = (await findWorkflowByIdempotencyKey(client, plan.name, plan.idempotencyKey!)) as WorkflowRow;
  // Rows stored under semantics version 1 have no digest; their key alone decides.
  if (existing.plan_digest !== null && existing.plan_digest !== plan.digest) {
    throw new WorkflowIdempotencyError(
      existing.id,
      `Workflow ${plan.name} with idempotency key ${JSON.stringify(plan.idempotencyKey)} already exists as ${existing.id} with a different plan. Nothing was inserted. Use a new key for a different plan, or the same plan to get the existing workflow back.`,
    );
  }
  return { id: existing.id, created: false, state: existing.state as WorkflowState };
}

/** Checks every step queue exists, because pg-boss refuses a job for a missing queue only once the transaction is open. */
async function requireQueues(deps: InsertDeps, plan: ValidatedWorkflowPlan): Promise<void> {
  for (const step of plan.steps) {
    if (deps.knownQueues.has(step.queue)) continue;
    if (!(await deps.boss.getQueue(step.queue))) {
      throw new WorkflowPlanError(`Workflow ${plan.name}: step ${step.name} uses queue ${step.queue}, which does not exist in pg-boss. Create it with boss.createQueue(${JSON.stringify(step.queue)}) or register a worker for it before inserting.`);
    }
    deps.knownQueues.add(step.queue);
  }
}
