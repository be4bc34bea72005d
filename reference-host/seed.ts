import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';
import pino from 'pino';

import { seedWorkflows } from './seed-workflows';
import { upsertUser } from './users';
import { hostQueues } from './workers';

/**
 * Seeds the demo operators, some jobs in each state and workflows in every state. The password comes from
 * `REFERENCE_HOST_DEMO_PASSWORD`; there is deliberately no default password.
 */
async function main(): Promise<void> {
  const logger = pino({ name: 'reference-host-seed' });
  const databaseUrl = process.env.DATABASE_URL;
  const password = process.env.REFERENCE_HOST_DEMO_PASSWORD;
  if (!databaseUrl) throw new Error('DATABASE_URL is missing. Set it to the migrated database to seed.');
  if (!password || password.length < 12) {
    throw new Error('REFERENCE_HOST_DEMO_PASSWORD must be set to a password of at least 12 characters for the demo users.');
  }

  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const boss = new PgBoss({ connectionString: databaseUrl, max: 2, supervise: false, schedule: false });
  try {
    await upsertUser(pool, 'ops-demo', 'operator', password);
    await upsertUser(pool, 'ops-viewer', 'viewer', password);
    await upsertUser(pool, 'no-access', 'none', password);

    await boss.start();
    for (const queue of hostQueues) await boss.createQueue(queue, { retryLimit: 0 });
    await seedJobs(boss);
    await seedWorkflows({ databaseUrl, boss, logger });
    logger.info({ event: 'seed:done' }, 'demo users and jobs seeded');
  } finally {
    await boss.stop({ graceful: false });
    await pool.end();
  }
}

/** Leaves jobs completed, failed, cancelled, active, created and deferred in the emails queue. */
async function seedJobs(boss: PgBoss): Promise<void> {
  await boss.send('emails', { template: 'receipt' });
  await boss.send('emails', { template: 'invoice', apiKey: 'demo-not-a-secret' });
  const [first, second] = await boss.fetch('emails', { batchSize: 2 });
  await boss.complete('emails', first.id, { sent: true });
  await boss.fail('emails', second.id, { message: 'SMTP 550 mailbox unavailable' });

  const cancelled = await boss.send('emails', { template: 'survey' });
  if (cancelled) await boss.cancel('emails', cancelled);
  await boss.send('emails', { template: 'export' });
  await boss.fetch('emails', { batchSize: 1 });

  for (let index = 0; index < 3; index += 1) await boss.send('emails', { template: 'welcome', recipient: `user${index}@example.test` });
  await boss.send('emails', { template: 'reminder' }, { startAfter: 3600 });
}

main().catch((error) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
