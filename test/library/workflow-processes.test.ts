import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { beforeEach, describe, test } from 'node:test';

import { runMigrations } from '../../library';
import { useTestDatabase } from '../support/use-test-database';
import { countStepJobs, createWorkflowQueues, diamondPlan, readSteps, startBoss, startRuntime, waitFor, waitForStepState, waitForWorkflowState } from './support/workflow-fixtures';

const database = useTestDatabase(__filename);
const workerScript = path.join(__dirname, 'support', 'workflow-worker-process.ts');

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
});

/** Spawns a worker process and resolves once it prints "ready"; the test's cleanup stops it. */
async function spawnWorker(mode: 'steady' | 'hang'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', workerScript], {
    env: { ...process.env, DATABASE_URL: database.url, WORKER_MODE: mode },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  database.cleanUpAfterTest(() => stopWorker(child, 'SIGTERM'));
  await new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker process exited with ${code} before it was ready`)));
  });
  return child;
}

async function stopWorker(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

describe('workflow runtime in several processes', () => {
  test('two processes run diamonds once each', async () => {
    const boss = await startBoss(database);
    await createWorkflowQueues(boss);
    const workers = [await spawnWorker('steady'), await spawnWorker('steady')];
    const runtime = startRuntime(database, database.pool, boss);

    const ids = [];
    for (let index = 0; index < 10; index += 1) ids.push((await runtime.insert(diamondPlan())).id);
    for (const id of ids) await waitForWorkflowState(database.pool, id, 'completed', 30_000);

    const pids = new Set<number>();
    for (const id of ids) {
      assert.equal(await countStepJobs(database.pool, id, 'load'), 1, `workflow ${id} sent load once`);
      for (const step of Object.values(await readSteps(database.pool, id))) {
        assert.equal(step.attempt, 1, `${step.name} of ${id} ran once`);
        pids.add((step.result as { pid: number }).pid);
      }
    }
    assert.deepEqual([...pids].sort(), workers.map((worker) => worker.pid!).sort(), 'both processes ran steps');
  });

  test('a killed worker attempt is retried elsewhere', async () => {
    const boss = await startBoss(database, { supervise: true });
    await createWorkflowQueues(boss);
    const crashing = await spawnWorker('hang');
    const runtime = startRuntime(database, database.pool, boss);
    const { id } = await runtime.insert({ name: 'crash_check', steps: [{ name: 'extract', queue: 'wf_extract', retryLimit: 1, retryDelay: 0, expireInSeconds: 2 }] });
    await waitForStepState(database.pool, id, 'extract', 'executing');

    await stopWorker(crashing, 'SIGKILL');
    await spawnWorker('steady');

    const step = await waitForStepState(database.pool, id, 'extract', 'completed', 30_000);
    assert.equal(step.attempt, 2, 'the attempt of the killed process counts as the first');
    assert.notEqual((step.result as { pid: number }).pid, crashing.pid);
  });

  test('a killed last attempt is blocked by the reconciler', async () => {
    const boss = await startBoss(database, { supervise: true });
    await createWorkflowQueues(boss);
    const crashing = await spawnWorker('hang');
    const runtime = startRuntime(database, database.pool, boss);
    const { id } = await runtime.insert({ name: 'crash_check', steps: [{ name: 'extract', queue: 'wf_extract', retryLimit: 0, expireInSeconds: 2 }] });
    await waitForStepState(database.pool, id, 'extract', 'executing');

    await stopWorker(crashing, 'SIGKILL');
    // pg-boss's supervisor fails the expired attempt; only the reconciler can tell the step table.
    const step = await waitFor('the reconciler to block extract', async () => {
      await runtime.reconcile();
      const current = (await readSteps(database.pool, id)).extract;
      return current.state === 'blocked' ? current : undefined;
    });

    assert.equal(step.last_error?.name, 'Error');
    assert.match(step.last_error?.message ?? '', /timed out|expired/i);
    assert.equal((await readSteps(database.pool, id)).extract.attempt, 1);
  });
});
