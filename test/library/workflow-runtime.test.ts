import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { Pool } from 'pg';

import { runMigrations, WorkflowIdempotencyError, WorkflowPlanError } from '../../library';
import { withTransaction } from '../../library/db/with-transaction';
import { currentSemanticsVersion } from '../../library/workflows/workflow-states';
import { useTestDatabase } from '../support/use-test-database';
import {
  countStepJobs,
  createWorkflowQueues,
  diamondPlan,
  readStepEvents,
  readSteps,
  readWorkflow,
  startBoss,
  startRuntime,
  waitForWorkflowState,
} from './support/workflow-fixtures';

const database = useTestDatabase(__filename);

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
});

/** Opens a pool of its own, as another host process has. */
function openHostPool(): Pool {
  const pool = new Pool({ connectionString: database.url, max: 4 });
  database.cleanUpAfterTest(() => pool.end());
  return pool;
}

async function countWorkflows(): Promise<number> {
  const { rows } = await database.pool.query<{ count: number }>('select count(*)::int as count from jobs_powertools.workflows');
  return rows[0].count;
}

describe('workflow runtime insert', () => {
  test('insert queues roots and waits the rest', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);

    const inserted = await runtime.insert(diamondPlan());

    assert.equal(inserted.created, true);
    assert.equal(inserted.state, 'runnable');
    const workflow = await readWorkflow(database.pool, inserted.id);
    assert.equal(workflow.semantics_version, currentSemanticsVersion);
    assert.equal(workflow.state, 'runnable');
    assert.deepEqual(workflow.input, { ledger: 'eu-main' });
    const steps = await readSteps(database.pool, inserted.id);
    assert.equal(steps.extract.state, 'runnable');
    assert.ok(steps.extract.job_id, 'the root step has a job id');
    assert.equal(await countStepJobs(database.pool, inserted.id, 'extract'), 1);
    for (const name of ['transform', 'enrich', 'load']) {
      assert.equal(steps[name].state, 'waiting', `${name} waits`);
      assert.equal(steps[name].job_id, null, `${name} has no job yet`);
      assert.equal(steps[name].semantics_version, currentSemanticsVersion);
    }
    assert.deepEqual(steps.load.depends_on, ['transform', 'enrich']);
  });

  test('insert rejects a cycle and writes nothing', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);

    await assert.rejects(
      runtime.insert({ name: 'loop', steps: [{ name: 'a', queue: 'wf_extract', dependsOn: ['c'] }, { name: 'b', queue: 'wf_extract', dependsOn: ['a'] }, { name: 'c', queue: 'wf_extract', dependsOn: ['b'] }] }),
      (error: unknown) => error instanceof WorkflowPlanError && /dependency cycle: [abc] -> [abc] -> [abc] -> [abc]/.test(error.message),
    );
    assert.equal(await countWorkflows(), 0);
  });

  test('insert rejects a missing queue and writes nothing', async () => {
    const boss = await startBoss(database);
    const runtime = startRuntime(database, database.pool, boss);

    await assert.rejects(runtime.insert(diamondPlan()), (error: unknown) => error instanceof WorkflowPlanError && /step extract uses queue wf_extract, which does not exist/.test(error.message));
    assert.equal(await countWorkflows(), 0);
  });

  test('insert in a rolled back transaction leaves nothing', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);

    await assert.rejects(
      withTransaction(database.pool, async (client) => {
        await runtime.insert(diamondPlan(), { client });
        throw new Error('the host rolls back its own transaction');
      }),
      /rolls back/,
    );

    assert.equal(await countWorkflows(), 0);
    const { rows } = await database.pool.query<{ count: number }>('select count(*)::int as count from pgboss.job');
    assert.equal(rows[0].count, 0, 'the root job rolled back with the workflow');
  });
});

describe('workflow runtime idempotency', () => {
  test('insert twice with one key returns the first', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);

    const first = await runtime.insert(diamondPlan('import-2024-06-01'));
    const second = await runtime.insert(diamondPlan('import-2024-06-01'));

    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.id, first.id);
    assert.equal(await countWorkflows(), 1);
    assert.equal(await countStepJobs(database.pool, first.id, 'extract'), 1, 'the repeat sent no second root job');
  });

  test('concurrent inserts with one key make one workflow', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtimes = [database.pool, openHostPool(), openHostPool()].map((pool) => startRuntime(database, pool, boss));

    const results = await Promise.all(runtimes.flatMap((runtime) => [runtime.insert(diamondPlan('same-key')), runtime.insert(diamondPlan('same-key'))]));

    assert.equal(new Set(results.map((result) => result.id)).size, 1);
    assert.equal(results.filter((result) => result.created).length, 1);
    assert.equal(await countWorkflows(), 1);
  });

  test('insert with a used key and another plan is rejected', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const first = await runtime.insert(diamondPlan('import-2024-06-02'));

    await assert.rejects(
      runtime.insert({ ...diamondPlan('import-2024-06-02'), input: { ledger: 'us-main' } }),
      (error: unknown) => error instanceof WorkflowIdempotencyError && error.workflowId === first.id && /different plan/.test(error.message),
    );
    assert.equal(await countWorkflows(), 1);
  });

  test('same key under another workflow name is independent', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);

    const first = await runtime.insert(diamondPlan('shared-key'));
    const other = await runtime.insert({ ...diamondPlan('shared-key'), name: 'ledger_export' });

    assert.notEqual(other.id, first.id);
    assert.equal(other.created, true);
  });
});

describe('workflow runtime execution', () => {
  test('diamond completes with dependency results', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const runtime = startRuntime(database, database.pool, boss);
    const seen: Record<string, unknown> = {};
    await runtime.work('wf_extract', (context) => ({ rows: 3, table: context.step.data.table, ledger: context.workflow.input.ledger }));
    await runtime.work('wf_transform', (context) => {
      seen[context.step.name] = context.results;
      return { step: context.step.name, rows: (context.results.extract as { rows: number }).rows };
    });
    await runtime.work('wf_load', (context) => {
      seen.load = context.results;
      return { loaded: true };
    }, { pollingIntervalSeconds: 0.5 });
    await runtime.start();

    const { id } = await runtime.insert(diamondPlan());
    const workflow = await waitForWorkflowState(database.pool, id, 'completed');

    assert.ok(workflow.settled_at instanceof Date);
    assert.deepEqual(seen.transform, { extract: { rows: 3, table: 'invoices', ledger: 'eu-main' } });
    assert.deepEqual(seen.load, { transform: { step: 'transform', rows: 3 }, enrich: { step: 'enrich', rows: 3 } });
    const steps = await readSteps(database.pool, id);
    for (const step of Object.values(steps)) {
      assert.equal(step.state, 'completed', `${step.name} completed`);
      assert.equal(step.attempt, 1, `${step.name} ran once`);
      assert.ok(step.result_bytes! > 0, `${step.name} stored its result size`);
    }
    const loadEvents = (await readStepEvents(database.pool, id, 'load')).map((event) => event.state);
    assert.deepEqual(loadEvents, ['waiting', 'runnable', 'executing', 'completed']);
    const workflowEvents = (await readStepEvents(database.pool, id)).filter((event) => event.step_name === null).map((event) => event.state);
    assert.equal(workflowEvents[workflowEvents.length - 1], 'completed');
  });

  test('fan-in releases once across instances', async () => {
    // Three pg-boss instances with pools of their own race to complete the two branches of many diamonds at once.
    await createWorkflowQueues(await startBoss(database));
    const runtimes = [];
    for (let index = 0; index < 3; index += 1) {
      const pool = openHostPool();
      const boss = await startBoss(database);
      const runtime = startRuntime(database, pool, boss);
      for (const queue of ['wf_extract', 'wf_transform', 'wf_load']) {
        await runtime.work(queue, async (context) => {
          // Both branches settle in the same few milliseconds, in different instances.
          if (context.step.name !== 'extract') await new Promise((resolve) => setTimeout(resolve, 5));
          return { by: index };
        }, { localConcurrency: 4, pollingIntervalSeconds: 0.5 });
      }
      await runtime.start();
      runtimes.push(runtime);
    }

    const ids = [];
    for (let index = 0; index < 20; index += 1) ids.push((await runtimes[index % 3].insert(diamondPlan())).id);
    for (const id of ids) await waitForWorkflowState(database.pool, id, 'completed', 30_000);

    for (const id of ids) {
      assert.equal(await countStepJobs(database.pool, id, 'load'), 1, `workflow ${id} sent load once`);
      const released = (await readStepEvents(database.pool, id, 'load')).filter((event) => event.state === 'runnable');
      assert.equal(released.length, 1, `workflow ${id} released load once`);
      assert.equal((await readSteps(database.pool, id)).load.attempt, 1, `workflow ${id} ran load once`);
    }
  });
});
