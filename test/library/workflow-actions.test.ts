import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import type { PgBoss } from 'pg-boss';

import { OperatorError, runMigrations } from '../../library';
import type { AnyActionDefinition } from '../../library/actions/action-definition';
import { performAction } from '../../library/actions/perform-action';
import { cancelWorkflowAction, cancelWorkflowStepAction, retryWorkflowStepAction } from '../../library/actions/workflow-actions';
import { createActionPreview } from '../../library/sql/create-action-preview';
import { stepResourceId } from '../../library/workflows/workflow-targets';
import { useTestDatabase } from '../support/use-test-database';
import { listAllAuditEvents } from './support/cron-fixtures';
import { principalOf, testUsers } from './support/test-roles';
import {
  createWorkflowQueues,
  diamondPlan,
  readJobState,
  readStepEvents,
  readSteps,
  readWorkflow,
  startBoss,
  startRuntime,
  waitForStepState,
  waitForWorkflowState,
} from './support/workflow-fixtures';

const database = useTestDatabase(__filename);
const operator = principalOf(testUsers.operator);
const reason = 'Partner withdrew the order this morning';

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
});

/** Previews `action` on `resourceId` as the operator would see it and returns the preview id. */
async function preview(action: AnyActionDefinition, resourceId: string): Promise<string> {
  const target = await action.load(database.pool, resourceId, { forUpdate: false });
  assert.ok(target, `${resourceId} exists`);
  const created = await createActionPreview(database.pool, {
    action: action.name,
    resource: { type: action.resourceType, id: resourceId },
    actorId: operator.id,
    expectedState: action.fingerprint(target),
    ttlSeconds: 900,
  });
  return created.id;
}

function confirm(boss: PgBoss, action: AnyActionDefinition, resourceId: string, previewId: string) {
  return performAction({ pool: database.pool, boss }, { action, resourceId, previewId, principal: operator, reason });
}

async function act(boss: PgBoss, action: AnyActionDefinition, resourceId: string) {
  return confirm(boss, action, resourceId, await preview(action, resourceId));
}

/** A gate a step handler waits on until the test opens it. */
function makeGate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('cancel_workflow', () => {
  test('cancel_workflow cancels unstarted steps at once', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const { id } = await runtime.insert(diamondPlan());
    const rootJob = (await readSteps(database.pool, id)).extract.job_id!;

    const outcome = await act(boss, cancelWorkflowAction, id);

    assert.equal(outcome.kind, 'performed');
    const workflow = await readWorkflow(database.pool, id);
    assert.equal(workflow.state, 'cancelled');
    assert.equal(workflow.cancel_requested_by, 'ops-demo');
    assert.equal(workflow.cancel_reason, reason);
    for (const step of Object.values(await readSteps(database.pool, id))) assert.equal(step.state, 'cancelled', `${step.name} cancelled`);
    assert.equal(await readJobState(database.pool, rootJob), 'cancelled');

    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.action, 'cancel_workflow');
    assert.equal(event.resource_type, 'workflow');
    assert.equal(event.resource_id, id);
    assert.equal(event.actor_label, 'ops-demo');
    assert.equal(event.reason, reason);
    assert.deepEqual(event.details.after, { state: 'cancelled' });
    assert.equal((event.details.steps as unknown[]).length, 4);
    const extractEvents = await readStepEvents(database.pool, id, 'extract');
    assert.equal(extractEvents.at(-1)?.action, 'cancel_workflow');
    assert.equal(extractEvents.at(-1)?.actor_label, 'ops-demo');
  });

  test('cancel_workflow waits for an executing step', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const gate = makeGate();
    await runtime.work('wf_extract', async () => {
      await gate.opened;
      return { rows: 7 };
    }, { pollingIntervalSeconds: 0.5 });
    await runtime.start();
    const { id } = await runtime.insert(diamondPlan());
    await waitForStepState(database.pool, id, 'extract', 'executing');

    await act(boss, cancelWorkflowAction, id);

    assert.equal((await readWorkflow(database.pool, id)).state, 'cancelling');
    const during = await readSteps(database.pool, id);
    assert.equal(during.extract.state, 'cancelling');
    assert.equal(during.transform.state, 'cancelled');

    gate.open();
    const settled = await waitForWorkflowState(database.pool, id, 'cancelled');
    const steps = await readSteps(database.pool, id);
    assert.ok(settled.settled_at instanceof Date);
    assert.equal(steps.extract.state, 'cancelled');
    assert.deepEqual(steps.extract.result, { rows: 7 }, 'the result of the running attempt is kept');
    assert.equal(steps.transform.job_id, null, 'nothing was released after the cancel');
  });

  test('cancel_workflow of a just completed workflow is refused', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const gate = makeGate();
    await runtime.work('wf_extract', async () => {
      await gate.opened;
      return {};
    }, { pollingIntervalSeconds: 0.5 });
    await runtime.start();
    const { id } = await runtime.insert({ name: 'single_step', steps: [{ name: 'extract', queue: 'wf_extract' }] });
    await waitForStepState(database.pool, id, 'extract', 'executing');
    const previewId = await preview(cancelWorkflowAction, id);

    gate.open();
    await waitForWorkflowState(database.pool, id, 'completed');
    const error = await confirm(boss, cancelWorkflowAction, id, previewId).then(() => null, (thrown: unknown) => thrown);

    assert.ok(error instanceof OperatorError, `expected OperatorError, got ${String(error)}`);
    assert.equal(error.status, 409);
    assert.match(error.message, /changed since the preview \(it is now completed\)\. Nothing was changed/);
    assert.equal((await readWorkflow(database.pool, id)).state, 'completed');
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    const target = await cancelWorkflowAction.load(database.pool, id, { forUpdate: false });
    assert.match(cancelWorkflowAction.findInapplicability(target!) ?? '', /already completed; there is nothing left to cancel/);
  });

  test('cancel_workflow confirmed twice acts once', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const { id } = await runtime.insert(diamondPlan());
    const previewId = await preview(cancelWorkflowAction, id);

    const first = await confirm(boss, cancelWorkflowAction, id, previewId);
    const second = await confirm(boss, cancelWorkflowAction, id, previewId);

    assert.equal(first.kind, 'performed');
    assert.equal(second.kind, 'already_performed');
    assert.equal((await listAllAuditEvents(database.pool)).length, 1);
  });
});

describe('retry_workflow_step', () => {
  test('retry_workflow_step recovers a blocked step', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    let lockReleased = false;
    for (const queue of ['wf_extract', 'wf_transform', 'wf_load']) {
      await runtime.work(queue, (context) => {
        if (context.step.name === 'extract' && !lockReleased) throw new Error('ledger locked');
        return { step: context.step.name, attempt: context.step.attempt };
      }, { pollingIntervalSeconds: 0.5 });
    }
    await runtime.start();
    const { id } = await runtime.insert(diamondPlan());
    const blocked = await waitForStepState(database.pool, id, 'extract', 'blocked');

    lockReleased = true;
    const outcome = await act(boss, retryWorkflowStepAction, stepResourceId(id, 'extract'));

    assert.equal(outcome.kind, 'performed');
    const retried = (await readSteps(database.pool, id)).extract;
    assert.notEqual(retried.job_id, blocked.job_id, 'the retry runs on a new job');
    assert.equal(retried.recovered_by, 'ops-demo');
    assert.equal(retried.recovery_reason, reason);
    assert.ok(retried.recovered_at instanceof Date);
    assert.equal(await readJobState(database.pool, blocked.job_id!), 'failed', 'the failed job stays as history');

    const workflow = await waitForWorkflowState(database.pool, id, 'recovered');
    const steps = await readSteps(database.pool, id);
    assert.equal(steps.extract.state, 'recovered');
    assert.deepEqual(steps.extract.result, { step: 'extract', attempt: 2 });
    assert.equal(steps.load.state, 'completed');
    assert.ok(workflow.settled_at instanceof Date);
    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.action, 'retry_workflow_step');
    assert.equal(event.resource_type, 'workflow_step');
    assert.equal(event.resource_id, `${id}:extract`);
    assert.equal(event.details.job_id, retried.job_id);
  });

  test('retry_workflow_step refuses a pending step', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const { id } = await runtime.insert(diamondPlan());

    const target = await retryWorkflowStepAction.load(database.pool, stepResourceId(id, 'transform'), { forUpdate: false });

    assert.match(retryWorkflowStepAction.findInapplicability(target!) ?? '', /Step transform is waiting; only a blocked step, or a waiting one whose dependencies all completed, can be retried/);
  });
});

describe('cancel_workflow_step', () => {
  test('cancel_workflow_step cancels its dependents too', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    await runtime.work('wf_extract', () => ({ rows: 1 }), { pollingIntervalSeconds: 0.5 });
    await runtime.work('wf_transform', (context) => {
      if (context.step.name === 'enrich') throw new Error('enrichment service down');
      return {};
    }, { pollingIntervalSeconds: 0.5 });
    await runtime.start();
    const { id } = await runtime.insert(diamondPlan());
    await waitForStepState(database.pool, id, 'enrich', 'blocked');
    await waitForStepState(database.pool, id, 'transform', 'completed');

    await act(boss, cancelWorkflowStepAction, stepResourceId(id, 'enrich'));

    const steps = await readSteps(database.pool, id);
    assert.equal(steps.enrich.state, 'cancelled');
    assert.equal(steps.enrich.cancel_requested_by, 'ops-demo');
    assert.equal(steps.enrich.cancel_reason, reason);
    assert.equal(steps.load.state, 'cancelled', 'load depends on enrich and can never run');
    assert.equal(steps.load.cancel_requested_by, null, 'the reason belongs to the step the operator cancelled');
    assert.equal(steps.transform.state, 'completed', 'the other branch keeps its result');
    assert.equal((await readWorkflow(database.pool, id)).state, 'cancelled');
    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.action, 'cancel_workflow_step');
    assert.deepEqual(event.details.cascaded, [{ step: 'load', from: 'waiting', to: 'cancelled' }]);
    assert.equal((await readStepEvents(database.pool, id, 'load')).at(-1)?.detail.cancelled_with, 'enrich');
  });

  test('cancel_workflow_step of an executing step skips its retries', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const gate = makeGate();
    await runtime.work('wf_extract', async () => {
      await gate.opened;
      throw new Error('failed after the cancel');
    }, { pollingIntervalSeconds: 0.5 });
    await runtime.start();
    const { id } = await runtime.insert({ name: 'single_step', steps: [{ name: 'extract', queue: 'wf_extract', retryLimit: 3 }] });
    await waitForStepState(database.pool, id, 'extract', 'executing');

    await act(boss, cancelWorkflowStepAction, stepResourceId(id, 'extract'));
    assert.equal((await readSteps(database.pool, id)).extract.state, 'cancelling');
    gate.open();

    const step = await waitForStepState(database.pool, id, 'extract', 'cancelled');
    assert.equal(step.last_error?.message, 'failed after the cancel');
    assert.equal(await readJobState(database.pool, step.job_id!), 'cancelled', 'pg-boss will not retry it');
    assert.equal((await readWorkflow(database.pool, id)).state, 'cancelled');
  });
});
