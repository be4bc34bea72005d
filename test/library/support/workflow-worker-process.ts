// A host process that only works workflow steps, for tests that need several real processes.
// DATABASE_URL names the database; WORKER_MODE picks the handlers: `steady` returns from every step
// after 50 ms with its process id, `hang` never returns from `extract`. Prints "ready" once its
// workers poll, and stops on SIGTERM.
import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';

import { makeWorkflowRuntime } from '../../../library';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is missing; the test that spawns this worker sets it.');
  const mode = process.env.WORKER_MODE ?? 'steady';

  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const boss = new PgBoss({ connectionString: databaseUrl, max: 3, supervise: false, schedule: false });
  boss.on('error', (error) => process.stderr.write(`pg-boss error in worker ${process.pid}: ${String(error)}\n`));
  await boss.start();
  const runtime = makeWorkflowRuntime({ pool, boss, reconcileIntervalSeconds: 60 });

  for (const queue of ['wf_extract', 'wf_transform', 'wf_load']) {
    await runtime.work(queue, async (context) => {
      if (mode === 'hang' && context.step.name === 'extract') return new Promise(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { pid: process.pid, step: context.step.name };
    }, { pollingIntervalSeconds: 0.5 });
  }
  await runtime.start();
  process.stdout.write('ready\n');

  process.once('SIGTERM', () => {
    void runtime
      .stop()
      .then(() => boss.stop({ graceful: false }))
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}

main().catch((error) => {
  process.stderr.write(`workflow worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
