import readline from 'node:readline';

import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';

import { createPowertools } from '../../../library';

/**
 * A scheduler in its own process, for tests that need several real processes racing for the
 * same slots. It reads commands on stdin, one per line, and answers each on stdout:
 *   tick <iso time>  ->  fired <count>
 *   stop             ->  stopped (then exits)
 * DATABASE_URL names the database; CRON_ENTRIES holds the declared entries as JSON.
 */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const boss = new PgBoss({ connectionString: process.env.DATABASE_URL, schedule: false, supervise: false, max: 2 });
  await boss.start();
  const powertools = createPowertools({
    repo: pool,
    boss,
    auth: { currentActor: () => null, authorize: () => false, auditPrincipal: () => null },
    displayPolicy: { display: () => null },
    cronEntries: JSON.parse(process.env.CRON_ENTRIES ?? '[]'),
    schedulerIntervalSeconds: 60,
  });
  powertools.events.on('cron:fire_failed', ({ entry, error }) => process.stderr.write(`fire failed for ${entry}: ${String(error)}\n`));
  await powertools.runtime.start();
  process.stdout.write('ready\n');

  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [command, argument] = line.trim().split(' ');
    if (command === 'tick') {
      process.stdout.write(`fired ${await powertools.runtime.tick(new Date(argument))}\n`);
    } else if (command === 'stop') {
      await powertools.runtime.stop();
      await boss.stop({ graceful: false });
      await pool.end();
      process.stdout.write('stopped\n');
      return;
    }
  }
}

main().catch((error) => {
  process.stderr.write(`scheduler process failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
