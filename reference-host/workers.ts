import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';

/** Queues the reference host works, and the ones it only fills for the demo. */
export const hostQueues = ['nightly_sync', 'digest', 'emails'];

/** Starts the host's pg-boss workers. Each logs the job id it handled, never the job data. */
export async function startWorkers(boss: PgBoss, logger: Logger): Promise<void> {
  for (const queue of hostQueues) await boss.createQueue(queue);

  await boss.work('nightly_sync', async (jobs) => {
    for (const job of jobs) logger.info({ queue: 'nightly_sync', jobId: job.id }, 'nightly sync ran');
  });
  await boss.work('digest', async (jobs) => {
    for (const job of jobs) logger.info({ queue: 'digest', jobId: job.id }, 'digest sent');
  });
}
