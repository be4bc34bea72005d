import type { Pool } from 'pg';
import { PgBoss } from 'pg-boss';

import type { AuthModule } from '../../../library';
import type { Queryable } from '../../../library/db/with-transaction';
import type { WorkflowStepEventRow, WorkflowStepRow, WorkflowRow } from '../../../library/workflows/workflow-rows';
import { workflowColumns, workflowStepColumns, workflowStepEventColumns } from '../../../library/workflows/workflow-rows';
import { makeWorkflowRuntime, type WorkflowRuntime, type WorkflowRuntimeOptions } from '../../../library/workflows/workflow-runtime';
import type { TestDatabaseHandle } from '../../support/use-test-database';
import { headerAuth, type TestUser } from './test-roles';

/** Queues the workflow tests send steps to. */
export const workflowQueues = ['wf_extract', 'wf_transform', 'wf_load', 'wf_notify'];

/** The auth module of the workflow tests: `headerAuth` plus the workflow page and its actions for operators. */
export const workflowHeaderAuth: AuthModule = {
  ...headerAuth,
  authorize(actor, action, resource) {
    const user = actor as TestUser;
    if (action === 'view_workflows' && user.role !== 'none') return { allowed: true };
    if (['cancel_workflow', 'retry_workflow_step', 'cancel_workflow_step'].includes(action)) {
      return user.role === 'operator' ? { allowed: true } : { allowed: false, reason: `role ${user.role} does not grant ${action}` };
    }
    return headerAuth.authorize(actor, action, resource);
  },
};

/**
 * Starts a pg-boss instance on the test database with its own small pool, as another host
 * process would, and stops it after the test. The supervisor is off unless asked for, so a
 * test decides when attempts expire.
 */
export async function startBoss(database: TestDatabaseHandle, options: { supervise?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: database.url, schedule: false, supervise: options.supervise ?? false, max: 4, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 });
  boss.on('error', (error) => process.stderr.write(`pg-boss error in test: ${String(error)}\n`));
  await boss.start();
  database.cleanUpAfterTest(() => boss.stop({ graceful: false, timeout: 1000 }));
  return boss;
}

/** Creates the test queues with no retries unless a test asks for them per step. */
export async function createWorkflowQueues(boss: PgBoss, queues = workflowQueues): Promise<void> {
  for (const queue of queues) await boss.createQueue(queue, { retryLimit: 0 });
}

/** Makes a workflow runtime that polls fast and stops after the test. */
export function startRuntime(database: TestDatabaseHandle, pool: Pool, boss: PgBoss, options: Partial<WorkflowRuntimeOptions> = {}): WorkflowRuntime {
  const runtime = makeWorkflowRuntime({ pool, boss, reconcileIntervalSeconds: 60, reconcileQuietSeconds: 0, ...options });
  database.cleanUpAfterTest(() => runtime.stop());
  return runtime;
}

/** Polls `check` until it returns a value other than undefined, for at most `timeoutMs`. */
export async function waitFor<T>(description: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function readWorkflow(db: Queryable, id: string): Promise<WorkflowRow> {
  const { rows } = await db.query<WorkflowRow>(`select ${workflowColumns} from jobs_powertools.workflows where id = $1::uuid`, [id]);
  if (rows.length !== 1) throw new Error(`workflow ${id} is missing`);
  return rows[0];
}

/** Reads a workflow's steps by name. */
export async function readSteps(db: Queryable, workflowId: string): Promise<Record<string, WorkflowStepRow>> {
  const { rows } = await db.query<WorkflowStepRow>(`select ${workflowStepColumns} from jobs_powertools.workflow_steps where workflow_id = $1::uuid`, [workflowId]);
  return Object.fromEntries(rows.map((row) => [row.name, row]));
}

export async function readStepEvents(db: Queryable, workflowId: string, stepName?: string): Promise<WorkflowStepEventRow[]> {
  const { rows } = await db.query<WorkflowStepEventRow>(
    `select ${workflowStepEventColumns} from jobs_powertools.workflow_step_events
      where workflow_id = $1::uuid and ($2::text is null or step_name = $2::text) order by workflow_step_events.id`,
    [workflowId, stepName ?? null],
  );
  return rows;
}

/** Waits until the workflow reaches `state` and returns it. */
export function waitForWorkflowState(db: Queryable, workflowId: string, state: string, timeoutMs?: number): Promise<WorkflowRow> {
  return waitFor(`workflow ${workflowId} to be ${state}`, async () => {
    const workflow = await readWorkflow(db, workflowId);
    return workflow.state === state ? workflow : undefined;
  }, timeoutMs);
}

/** Waits until a step reaches `state` and returns it. */
export function waitForStepState(db: Queryable, workflowId: string, step: string, state: string, timeoutMs?: number): Promise<WorkflowStepRow> {
  return waitFor(`step ${step} of ${workflowId} to be ${state}`, async () => {
    const row = (await readSteps(db, workflowId))[step];
    return row?.state === state ? row : undefined;
  }, timeoutMs);
}

/** Counts the pg-boss jobs ever created for one step of one workflow, whatever their state. */
export async function countStepJobs(db: Queryable, workflowId: string, step: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `select count(*)::int as count from pgboss.job where data->>'workflowId' = $1::text and data->>'step' = $2::text`,
    [workflowId, step],
  );
  return rows[0].count;
}

/** Reads a pg-boss job's state straight from its table. */
export async function readJobState(db: Queryable, jobId: string): Promise<string | null> {
  const { rows } = await db.query<{ state: string }>(`select state::text as state from pgboss.job where id = $1::uuid`, [jobId]);
  return rows[0]?.state ?? null;
}

/** A diamond: extract, then transform and enrich side by side, then load once both completed. */
export function diamondPlan(idempotencyKey?: string) {
  return {
    name: 'ledger_import',
    input: { ledger: 'eu-main' },
    ...(idempotencyKey ? { idempotencyKey } : {}),
    steps: [
      { name: 'extract', queue: 'wf_extract', data: { table: 'invoices' } },
      { name: 'transform', queue: 'wf_transform', dependsOn: ['extract'] },
      { name: 'enrich', queue: 'wf_transform', dependsOn: ['extract'] },
      { name: 'load', queue: 'wf_load', dependsOn: ['transform', 'enrich'] },
    ],
  } as const;
}
