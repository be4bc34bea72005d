import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { runMigrations } from '../../library';
import { useTestDatabase } from '../support/use-test-database';
import {
  createWorkflowQueues,
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

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
});

/** A two-step workflow: `risky` on wf_extract with the given options, then `after` on wf_load. */
function riskyPlan(options: { retryLimit?: number; retryDelay?: number; expireInSeconds?: number } = {}) {
  return {
    name: 'risky_import',
    steps: [
      { name: 'risky', queue: 'wf_extract', retryLimit: 0, ...options },
      { name: 'after', queue: 'wf_load', dependsOn: ['risky'] },
    ],
  } as const;
}

async function runRisky(handler: () => unknown, options: Parameters<typeof riskyPlan>[0] = {}, runtimeOptions: { maximumResultBytes?: number } = {}) {
  const boss = await startBoss(database);
  await createWorkflowQueues(boss);
  const runtime = startRuntime(database, database.pool, boss, runtimeOptions);
  await runtime.work('wf_extract', handler, { pollingIntervalSeconds: 0.5 });
  await runtime.start();
  const { id } = await runtime.insert(riskyPlan(options));
  return { id, runtime, boss };
}

describe('workflow step that throws', () => {
  test('throwing step is retrying with next attempt time', async () => {
    const { id } = await runRisky(() => {
      throw new Error('ledger locked by nightly close');
    }, { retryLimit: 2, retryDelay: 600 });

    const step = await waitForStepState(database.pool, id, 'risky', 'retrying');

    assert.equal(step.attempt, 1);
    assert.deepEqual(step.last_error, { name: 'Error', message: 'ledger locked by nightly close' });
    assert.ok(step.next_attempt_at instanceof Date, 'the next attempt time is stored');
    const secondsAhead = (step.next_attempt_at.getTime() - Date.now()) / 1000;
    assert.ok(secondsAhead > 500, `next attempt about 600 s ahead, got ${secondsAhead}`);
    assert.ok(secondsAhead <= 601, `next attempt about 600 s ahead, got ${secondsAhead}`);
    assert.equal(await readJobState(database.pool, step.job_id!), 'retry');
    assert.equal((await readWorkflow(database.pool, id)).state, 'retrying');
    assert.equal((await readSteps(database.pool, id)).after.state, 'waiting');
  });

  test('exhausted retries block the workflow', async () => {
    let attempts = 0;
    const { id } = await runRisky(() => {
      attempts += 1;
      throw new Error(`attempt ${attempts} failed`);
    }, { retryLimit: 1, retryDelay: 0 });

    const workflow = await waitForWorkflowState(database.pool, id, 'blocked');
    const steps = await readSteps(database.pool, id);

    assert.equal(workflow.settled_at, null, 'a blocked workflow is not settled');
    assert.equal(steps.risky.state, 'blocked');
    assert.equal(steps.risky.attempt, 2);
    assert.equal(steps.risky.last_error?.message, 'attempt 2 failed');
    assert.equal(await readJobState(database.pool, steps.risky.job_id!), 'failed');
    assert.equal(steps.after.state, 'waiting', 'the dependent is neither run nor cancelled');
    const states = (await readStepEvents(database.pool, id, 'risky')).map((event) => event.state);
    assert.deepEqual(states, ['runnable', 'executing', 'retrying', 'executing', 'blocked']);
  });

  test('non-Error throw is recorded by type', async () => {
    const { id } = await runRisky(() => {
      throw 'plain string';
    });

    const step = await waitForStepState(database.pool, id, 'risky', 'blocked');

    assert.deepEqual(step.last_error, { name: 'NonErrorThrown', message: 'The handler threw a string instead of an Error.' });
  });
});

describe('workflow step that hangs', () => {
  test('hung step past expiry is blocked', async () => {
    const { id } = await runRisky(() => new Promise(() => undefined), { expireInSeconds: 1 });

    const step = await waitForStepState(database.pool, id, 'risky', 'blocked', 20_000);

    assert.equal(step.last_error?.name, 'AttemptAborted');
    assert.match(step.last_error?.message ?? '', /expiry of 1 s/);
    assert.equal(await readJobState(database.pool, step.job_id!), 'failed');
    assert.equal((await readWorkflow(database.pool, id)).state, 'blocked');
  });

  test('hung step is retried then completes', async () => {
    let attempts = 0;
    const { id } = await runRisky(() => {
      attempts += 1;
      return attempts === 1 ? new Promise(() => undefined) : { finished: attempts };
    }, { expireInSeconds: 1, retryLimit: 1, retryDelay: 0 });

    const step = await waitForStepState(database.pool, id, 'risky', 'completed', 20_000);

    assert.equal((await readWorkflow(database.pool, id)).state, 'runnable', 'after is queued once risky completed');
    assert.equal((await readSteps(database.pool, id)).after.state, 'runnable');
    assert.equal(step.attempt, 2);
    assert.deepEqual(step.result, { finished: 2 });
  });
});

describe('workflow step results', () => {
  test('oversized result blocks with the size', async () => {
    const { id } = await runRisky(() => ({ text: 'x'.repeat(500) }), {}, { maximumResultBytes: 100 });

    const step = await waitForStepState(database.pool, id, 'risky', 'blocked');

    assert.equal(step.last_error?.name, 'ResultTooLarge');
    assert.match(step.last_error?.message ?? '', /returned 511 bytes of JSON; a step result may hold at most 100/);
    assert.equal(step.result, null);
    assert.equal((await readSteps(database.pool, id)).after.state, 'waiting');
  });

  for (const [label, value] of [
    ['BigInt', { total: BigInt(1) }],
    ['cycle', (() => { const node: Record<string, unknown> = {}; node.self = node; return node; })()],
    ['NUL text', { text: 'a\u0000b' }],
  ] as const) {
    test(`result with ${label} blocks as not JSON`, async () => {
      const { id } = await runRisky(() => value);

      const step = await waitForStepState(database.pool, id, 'risky', 'blocked');

      assert.equal(step.last_error?.name, 'ResultNotJson');
      assert.equal(step.result, null);
    });
  }

  test('undefined result is stored as null', async () => {
    const { id } = await runRisky(() => undefined);

    const step = await waitForStepState(database.pool, id, 'risky', 'completed');

    assert.equal(step.result, null);
    assert.equal(step.result_bytes, 4);
  });
});

describe('workflow reconciler', () => {
  test('reconcile blocks a step failed through pg-boss', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const { id } = await runtime.insert(riskyPlan());
    const [job] = await boss.fetch('wf_extract');
    await boss.fail('wf_extract', job.id, { message: 'failed by an operator script' });

    const corrected = await runtime.reconcile();

    assert.equal(corrected, 1);
    const step = (await readSteps(database.pool, id)).risky;
    assert.equal(step.state, 'blocked');
    assert.equal(step.last_error?.message, 'failed by an operator script');
    assert.equal((await readWorkflow(database.pool, id)).state, 'blocked');
    const last = (await readStepEvents(database.pool, id, 'risky')).at(-1);
    assert.equal(last?.detail.reconciled_from, 'runnable');
    assert.equal(last?.detail.job_state, 'failed');
  });

  test('reconcile leaves agreeing and missing jobs alone', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const queued = await runtime.insert(riskyPlan());
    const orphaned = await runtime.insert(riskyPlan());
    const orphanJob = (await readSteps(database.pool, orphaned.id)).risky.job_id!;
    await boss.deleteJob('wf_extract', orphanJob);
    const before = [await readSteps(database.pool, queued.id), await readSteps(database.pool, orphaned.id)];

    const corrected = await runtime.reconcile();

    assert.equal(corrected, 0);
    assert.deepEqual([await readSteps(database.pool, queued.id), await readSteps(database.pool, orphaned.id)], before);
  });
});
