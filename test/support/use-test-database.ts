import { after, afterEach, before } from 'node:test';

import type { Pool } from 'pg';

import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestDatabaseHandle {
  /** Connection string of this file's database. Valid from `before` on. */
  readonly url: string;
  /** A pool on this file's database, ended by `after`. */
  readonly pool: Pool;
  /** Registers work (stop pg-boss, close a server, end a pool) to run after the current test, newest first. */
  cleanUpAfterTest(work: () => Promise<unknown> | unknown): void;
  /** Drops the library's and pg-boss's schemas, so the next test starts from an empty database. */
  resetSchemas(): Promise<void>;
}

const ownedSchemas = ['jobs_powertools', 'pgboss'];

/**
 * Registers the hooks that give this test file its own database. Each test's cleanup runs in
 * `afterEach`. When a test fails, its schemas are renamed `kept_<schema>_<n>` so the next
 * test's reset cannot destroy the evidence, and `finish` keeps the whole database.
 */
export function useTestDatabase(testFile: string): TestDatabaseHandle {
  let database: TestDatabase | null = null;
  let allPassed = true;
  let keptCount = 0;
  let cleanups: Array<() => Promise<unknown> | unknown> = [];

  before(async () => {
    database = await createTestDatabase(testFile);
  });

  afterEach(async (context) => {
    const pending = cleanups.reverse();
    cleanups = [];
    const failures: unknown[] = [];
    for (const work of pending) {
      // Every cleanup runs even when one fails, so no pool or server outlives its test.
      await Promise.resolve().then(work).catch((error: unknown) => failures.push(error));
    }

    // Hooks are typed for suites too, but afterEach only ever receives a TestContext.
    const passed = 'passed' in context ? context.passed : true;
    if (!passed) await keepSchemas(context.name);
    if (failures.length === 0) return;
    allPassed = false;
    throw new AggregateError(failures, `${failures.length} cleanup step(s) after "${context.name}" failed`);
  });

  after(async () => {
    await database?.finish(allPassed);
  });

  async function keepSchemas(testName: string): Promise<void> {
    allPassed = false;
    keptCount += 1;
    const { pool } = requireDatabase();
    for (const schema of ownedSchemas) {
      const { rowCount } = await pool.query('select 1 from pg_namespace where nspname = $1::text', [schema]);
      if (rowCount === 1) await pool.query(`alter schema ${schema} rename to kept_${schema}_${keptCount}`);
    }
    process.stderr.write(`kept schemas of failed test "${testName}" with suffix _${keptCount} in ${requireDatabase().name}\n`);
  }

  function requireDatabase(): TestDatabase {
    if (!database) throw new Error('The test database is used before the before() hook created it.');
    return database;
  }

  return {
    get url() {
      return requireDatabase().url;
    },
    get pool() {
      return requireDatabase().pool;
    },
    cleanUpAfterTest(work) {
      cleanups.push(work);
    },
    async resetSchemas() {
      for (const schema of ownedSchemas) {
        await requireDatabase().pool.query(`drop schema if exists ${schema} cascade`);
      }
    },
  };
}
