import { Pool } from 'pg';

import { type Role, saveUser } from './users';

/**
 * Adds a user or resets one: `add-user.ts USERNAME admin|member`, with the password in
 * NEW_USER_PASSWORD so it never appears in the shell history or the process list.
 */
async function main(): Promise<void> {
  const [username, role] = process.argv.slice(2);
  const password = process.env.NEW_USER_PASSWORD;
  if (!username || (role !== 'admin' && role !== 'member')) throw new Error('Usage: add-user.ts USERNAME admin|member, with NEW_USER_PASSWORD set.');
  if (!password || password.length < 12) throw new Error('NEW_USER_PASSWORD must be set to a password of at least 12 characters.');

  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  try {
    await saveUser(pool, username, role as Role, password);
    process.stdout.write(`${JSON.stringify({ event: 'user:saved', username, role })}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`add-user failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
