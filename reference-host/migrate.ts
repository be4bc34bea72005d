import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';
import pino from 'pino';

import { runMigrations } from '../library';
import { createUsersTable } from './users';

/**
 * The host's migration script: its own users table, then the library's migrations, then
 * pg-boss's schema. Re-running it applies only what is pending.
 */
async function main(): Promise<void> {
  const logger = pino({ name: 'reference-host-migrate' });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is missing. Set it to the Postgres URL to migrate.');

  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    await createUsersTable(pool);
    const applied = await runMigrations(pool, { logger });
    logger.info({ event: 'migrations:done', applied }, `${applied.length} library migration(s) applied`);

    // pg-boss creates or upgrades its own schema on start; starting without workers does only that.
    const boss = new PgBoss({ connectionString: databaseUrl, max: 2, supervise: false, schedule: false });
    await boss.start();
    await boss.stop({ graceful: false });
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
