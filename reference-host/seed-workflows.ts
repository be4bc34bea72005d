import { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';

import { makeWorkflowRuntime, type WorkflowPlan, type WorkflowRuntime } from '../library';
import type { AnyActionDefinition } from '../library/actions/action-definition';
import { performAction } from '../library/actions/perform-action';
import { cancelWorkflowAction, retryWorkflowStepAction } from '../library/actions/workflow-actions';
import { createActionPreview } from '../library/sql/create-action-preview';
import { invoiceRunPlan, ledgerBackfillPlan, partnerExportPlan, registerWorkflowHandlers, warehouseSyncPlan, workflowQueues } from './workflows';

/**
 * Seeds workflows in every state by running them. The seed works the host's queues itself while
 * it waits for each state. It takes the operator steps (a retry, two cancels) as ops-demo,
 * through the audited preview-and-confirm flow the pages use. Two warehouse copies still run
 * when the seed exits, and their jobs stay active until pg-boss expires them 15 minutes later.
 * Until then one shows executing and the cancelled one cancelling.
 */
export async function seedWorkflows(deps: { databaseUrl: string; boss: PgBoss; logger: Logger }): Promise<void> {
  const { boss, logger } = deps;
  // A pool of its own: the workers, their transactions and the waits below run at the same time.
  const pool = new Pool({ connectionString: deps.databaseUrl, max: 5 });
  try {
    const { rows } = await pool.query<{ count: number }>('select count(*)::int as count from jobs_powertools.workflows');
    if (rows[0].count > 0) {
      logger.info({ event: 'seed:workflows_skipped', workflows: rows[0].count }, 'workflows already exist; the demo workflows are seeded only into an empty database');
      return;
    }
    await seedEveryState(pool, boss, logger);
  } finally {
    await pool.end();
  }
}

async function seedEveryState(pool: Pool, boss: PgBoss, logger: Logger): Promise<void> {
  for (const queue of Object.values(workflowQueues)) {
    if (!(await boss.getQueue(queue))) await boss.createQueue(queue, { retryLimit: 0 });
  }
  const runtime = makeWorkflowRuntime({ pool, boss, reconcileIntervalSeconds: 60 });
  // The seed waits on each state, so its workers poll faster than the host's.
  await registerWorkflowHandlers(runtime, logger, { pollingIntervalSeconds: 0.5 });
  await runtime.start();
  const operator = await readOperatorPrincipal(pool, 'ops-demo');
  const act = (action: AnyActionDefinition, resourceId: string, reason: string) => actAsOperator({ pool, boss }, action, resourceId, operator, reason);

  try {
    const completed = await insertAndWait(runtime, pool, invoiceRunPlan('2025-05'), 'completed');
    const blocked = await insertAndWait(runtime, pool, ledgerBackfillPlan('eu-main', { lockedAttempts: 99, retryLimit: 1, retryDelay: 0 }), 'blocked');
    const retrying = await insertAndWait(runtime, pool, ledgerBackfillPlan('apac-main', { lockedAttempts: 99, retryLimit: 3, retryDelay: 3600 }), 'retrying');
    const recovered = await insertAndWait(runtime, pool, ledgerBackfillPlan('us-main', { lockedAttempts: 1, retryLimit: 0, retryDelay: 0 }), 'blocked');
    await act(retryWorkflowStepAction, `${recovered}:import_ledger`, 'Month-end close finished; ledger unlocked');
    await waitForState(pool, recovered, 'recovered');

    const waitingForPartner = await insertAndWait(runtime, pool, partnerExportPlan('acme-freight'), 'runnable', (steps) => steps.prepare_files === 'completed');
    const cancelled = await insertAndWait(runtime, pool, partnerExportPlan('globex-retail'), 'runnable', (steps) => steps.prepare_files === 'completed');
    await act(cancelWorkflowAction, cancelled, 'Partner contract ended before the export');

    const executing = await insertAndWait(runtime, pool, warehouseSyncPlan('berlin-dc', 600), 'executing');
    const cancelling = await insertAndWait(runtime, pool, warehouseSyncPlan('lyon-dc', 600), 'executing');
    await act(cancelWorkflowAction, cancelling, 'Lyon warehouse moves to the new schema first');

    logger.info({ event: 'seed:workflows_done', completed, blocked, retrying, recovered, waitingForPartner, cancelled, executing, cancelling }, 'demo workflows seeded');
  } finally {
    await runtime.stop();
  }
}

type StepStates = Record<string, string>;

async function insertAndWait(runtime: WorkflowRuntime, pool: Pool, plan: WorkflowPlan, state: string, stepsReady: (steps: StepStates) => boolean = () => true): Promise<string> {
  const { id } = await runtime.insert(plan);
  await waitForState(pool, id, state, stepsReady);
  return id;
}

async function waitForState(pool: Pool, workflowId: string, state: string, stepsReady: (steps: StepStates) => boolean = () => true): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await pool.query<{ workflow_state: string; name: string; state: string }>(
      `select w.state as workflow_state, s.name, s.state
         from jobs_powertools.workflows w join jobs_powertools.workflow_steps s on s.workflow_id = w.id
        where w.id = $1::uuid`,
      [workflowId],
    );
    const steps = Object.fromEntries(rows.map((row) => [row.name, row.state]));
    if (rows[0]?.workflow_state === state && stepsReady(steps)) return;
    if (Date.now() > deadline) throw new Error(`workflow ${workflowId} did not reach ${state} within 30 s; it is ${rows[0]?.workflow_state ?? 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function readOperatorPrincipal(pool: Pool, username: string) {
  const { rows } = await pool.query<{ id: string }>('select id::text as id from reference_host.users where username = $1::text', [username]);
  if (rows.length !== 1) throw new Error(`Seed the user ${username} before the workflows; the operator steps are taken as that user.`);
  // The same identity the host's auth module writes into audit events.
  return { id: `user:${rows[0].id}`, type: 'user', label: username };
}

/** Previews and confirms an action in one go, through the audited flow the confirm page uses. */
async function actAsOperator(deps: { pool: Pool; boss: PgBoss }, action: AnyActionDefinition, resourceId: string, principal: { id: string; type: string; label: string }, reason: string): Promise<void> {
  const target = await action.load(deps.pool, resourceId, { forUpdate: false });
  if (!target) throw new Error(`${resourceId} is missing; the seed cannot ${action.name} it.`);
  const preview = await createActionPreview(deps.pool, {
    action: action.name,
    resource: { type: action.resourceType, id: resourceId },
    actorId: principal.id,
    expectedState: action.fingerprint(target),
    ttlSeconds: 60,
  });
  await performAction(deps, { action, resourceId, previewId: preview.id, principal, reason });
}
