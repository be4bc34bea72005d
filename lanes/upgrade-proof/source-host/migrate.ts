import { runMigrations } from 'koa-jobs-powertools';
import { Pool } from 'pg';
import pino from 'pino';

// The host's migration script, unchanged since 0.1.0: it runs whatever migrations the
// installed library version ships.
async function main() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  try {
    const applied = await runMigrations(pool, { logger: pino({ name: 'billing-migrate' }) });
    process.stdout.write(`${JSON.stringify({ applied })}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
