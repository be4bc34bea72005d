import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, test } from 'node:test';

import { historicalCompatibilityLane } from '../../lanes/historical-compatibility/lane';
import { explainWorkflow, explainWorkflowStep, libraryMigrations, runMigrations } from '../../library';
import { performAction } from '../../library/actions/perform-action';
import { retryWorkflowStepAction } from '../../library/actions/workflow-actions';
import { createActionPreview } from '../../library/sql/create-action-preview';
import { compareWithBefore, snapshotDatabase } from '../../step-definitions/support/database-snapshot';
import { useTestDatabase } from '../support/use-test-database';
import { principalOf, testUsers } from './support/test-roles';
import { readStepEvents, readSteps, readWorkflow, startBoss, startRuntime, waitForWorkflowState } from './support/workflow-fixtures';

const database = useTestDatabase(__filename);
const lane = historicalCompatibilityLane;
const fixtureSql = readFileSync(path.join(__dirname, '..', '..', lane.storedUnder.fixtureFile), 'utf8');
const ids = Object.fromEntries(lane.fixtures.map((fixture) => [fixture.storedState, fixture.workflowId]));

/** The stored fixtures as the lane loads them: migrations up to 0010, the rows, then the current migrations. */
beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool, { to: lane.storedUnder.previousMigration });
  await database.pool.query(fixtureSql);
});

async function explainStored(workflowId: string) {
  const workflow = await readWorkflow(database.pool, workflowId);
  const steps = Object.values(await readSteps(database.pool, workflowId)).sort((a, b) => a.position - b.position);
  return {
    workflow: explainWorkflow(workflow, steps),
    steps: Object.fromEntries(steps.map((step) => [step.name, explainWorkflowStep(step, workflow, steps)])),
  };
}

describe('semantics version 1 rows', () => {
  test('current migrations rewrite no stored row', async () => {
    const before = await snapshotDatabase(database.pool, ['jobs_powertools']);

    await runMigrations(database.pool);

    const comparison = await compareWithBefore(database.pool, before);
    assert.deepEqual(comparison.losses, []);
    const storedMigrations = libraryMigrations.findIndex((migration) => migration.name === lane.storedUnder.previousMigration) + 1;
    assert.equal(comparison.rowsCompared, 4 + 10 + storedMigrations, 'four workflows, ten steps and the migration log were compared');
    const { rows } = await database.pool.query<{ semantics_version: number; next_attempt_at: Date | null }>(`select semantics_version, next_attempt_at from jobs_powertools.workflow_steps`);
    assert.ok(rows.every((row) => row.semantics_version === 1 && row.next_attempt_at === null), 'no stored step was converted or backfilled');
  });

  test('stored waiting workflow names the stranded step', async () => {
    await runMigrations(database.pool);

    const explained = await explainStored(ids.waiting);

    assert.match(explained.workflow.sentence, /^Nothing is running: render_invoices had every dependency completed but was never released, because semantics version 1 released steps in a separate pass/);
    assert.match(explained.steps.render_invoices.sentence, /Retry it \(retry_workflow_step\) to run it now/);
    assert.equal(explained.steps.send_invoices.sentence, 'Waiting for render_invoices to complete; it becomes runnable when the last of them completes.');
  });

  test('stored retrying workflow has an unknown next attempt', async () => {
    await runMigrations(database.pool);

    const explained = await explainStored(ids.retrying);

    assert.equal(explained.workflow.evidence, 'unknown');
    assert.equal(explained.steps.pull_ledger.sentence, 'Attempt 2 failed with "ledger API returned 503"; pg-boss retries it on job 7c1e0a10-0000-4000-8000-0000000000b2, but semantics version 1 did not record when, so the next attempt time is unknown.');
  });

  test('stored cancelling workflow lacks who asked', async () => {
    await runMigrations(database.pool);

    const explained = await explainStored(ids.cancelling);

    assert.equal(explained.workflow.sentence, 'A cancel was requested at 2025-06-01T08:15:00Z, but semantics version 1 did not record who asked or why; waiting for upload_batch to return before it settles as cancelled. No new step starts.');
    assert.equal(explained.workflow.evidence, 'history unavailable');
    assert.equal(explained.steps.notify_partner.evidence, 'history unavailable');
  });

  test('stored recovery evidence is partial', async () => {
    await runMigrations(database.pool);

    const explained = await explainStored(ids.recovered);

    assert.equal(explained.workflow.evidence, 'partial evidence');
    assert.equal(explained.steps.approve_totals.sentence, 'Completed at 2025-06-02T07:20:00Z on attempt 3, after an operator recovered it: ops-lead retried it at 2025-06-02T07:10:00Z; semantics version 1 did not record why.');
  });

  test('retry_workflow_step continues a stranded v1 workflow', async () => {
    await runMigrations(database.pool);
    const boss = await startBoss(database);
    await boss.createQueue('legacy_invoices', { retryLimit: 0 });
    const runtime = startRuntime(database, database.pool, boss);
    await runtime.work('legacy_invoices', (context) => ({ step: context.step.name, orders: (context.results.fetch_orders as { orders?: number } | undefined)?.orders ?? null }), { pollingIntervalSeconds: 0.5 });
    await runtime.start();
    const operator = principalOf(testUsers.operator);
    const resourceId = `${ids.waiting}:render_invoices`;
    const target = await retryWorkflowStepAction.load(database.pool, resourceId, { forUpdate: false });
    assert.equal(retryWorkflowStepAction.findInapplicability(target!), null, 'a stranded step can be retried');
    const preview = await createActionPreview(database.pool, { action: retryWorkflowStepAction.name, resource: { type: 'workflow_step', id: resourceId }, actorId: operator.id, expectedState: retryWorkflowStepAction.fingerprint(target!), ttlSeconds: 900 });

    await performAction({ pool: database.pool, boss }, { action: retryWorkflowStepAction, resourceId, previewId: preview.id, principal: operator, reason: 'Release the step the old sweep never released' });

    const workflow = await waitForWorkflowState(database.pool, ids.waiting, 'recovered');
    const steps = await readSteps(database.pool, ids.waiting);
    assert.equal(workflow.semantics_version, 1, 'the workflow keeps the version it was written under');
    assert.equal(steps.render_invoices.state, 'recovered');
    assert.deepEqual(steps.render_invoices.result, { step: 'render_invoices', orders: 412 });
    assert.equal(steps.render_invoices.recovery_reason, 'Release the step the old sweep never released');
    assert.equal(steps.send_invoices.state, 'completed', 'the runtime released the next step itself');
    assert.ok((await readStepEvents(database.pool, ids.waiting, 'render_invoices')).some((event) => event.action === 'retry_workflow_step'));
  });
});
