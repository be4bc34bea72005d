import { Pool } from 'pg';

import { createUsersTable } from './users';

/** The app's own migrations: its users table. */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  try {
    await createUsersTable(pool);
    process.stdout.write(`${JSON.stringify({ event: 'migrations:done', tables: ['users'] })}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
