import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { Pool } from 'pg';
import pino from 'pino';

import { type RunningPostgres, startPostgres } from '../../step-definitions/support/postgres-provider';

/**
 * One Postgres server per test process: the run-all script passes its superuser URL in
 * KJP_TEST_ADMIN_URL; a test file run on its own starts the lanes' provider (DATABASE_URL,
 * Testcontainers or embedded) itself.
 */
let server: Promise<RunningPostgres> | null = null;
let openDatabases = 0;

function useServer(): Promise<RunningPostgres> {
  server ??= startPostgres({
    logger: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)),
    env: process.env.KJP_TEST_ADMIN_URL ? { ...process.env, DATABASE_URL: process.env.KJP_TEST_ADMIN_URL, KJP_POSTGRES_PROVIDER: 'database-url' } : process.env,
  });
  return server;
}

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  /** Call from `after`: drops the database when every test passed, keeps it for inspection otherwise. */
  finish(allPassed: boolean): Promise<void>;
}

/**
 * Creates a database of its own for one test file, named after the file, so tests never see
 * each other's rows and a failed file's database survives as evidence.
 */
export async function createTestDatabase(testFile: string): Promise<TestDatabase> {
  const running = await useServer();
  const base = path.basename(testFile).replace(/\.test\.ts$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40);
  const name = `test_${base}_${randomBytes(3).toString('hex')}`;
  const url = await running.createDatabase(name);
  openDatabases += 1;
  const pool = new Pool({ connectionString: url, max: 5 });

  return {
    name,
    url,
    pool,
    async finish(allPassed) {
      await pool.end();
      if (allPassed) {
        await running.dropDatabase(name);
      } else {
        process.stderr.write(`kept database ${name} of ${path.basename(testFile)} for inspection\n`);
      }
      // A server this process started itself stops with the last database it made.
      openDatabases -= 1;
      if (openDatabases === 0 && !process.env.KJP_TEST_ADMIN_URL) {
        server = null;
        await running.stop();
      }
    },
  };
}
