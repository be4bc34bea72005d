import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';

import { upgradeProofLane } from '../../../lanes/upgrade-proof/lane';
import { runMigrations } from '../../../library';
import { copySourceHost } from '../../../step-definitions/support/source-host-copy';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

export interface SourceHostFixture {
  /** This file's database at the previous migrations. Valid from `before` on. */
  readonly database: TestDatabase;
  /** Copies the frozen source host under .lane-work/; `after` removes every copy. */
  freshCopy(name: string): string;
}

/**
 * Registers the hooks shared by tests of the source host: a database of their own at the
 * upgrade lane's previous migrations, kept when a test fails, and copies of the host.
 */
export function useSourceHostFixture(testFile: string, copyPrefix: string): SourceHostFixture {
  let database: TestDatabase | null = null;
  let allPassed = true;
  const copies: string[] = [];

  before(async () => {
    database = await createTestDatabase(testFile);
    await runMigrations(database.pool, { to: upgradeProofLane.sourceHost.previousMigration });
  });
  afterEach((t) => {
    // Hooks are typed for suites too, but afterEach only ever receives a TestContext.
    if ('passed' in t && !t.passed) allPassed = false;
  });
  after(async () => {
    for (const copy of copies) rmSync(path.dirname(copy), { recursive: true, force: true });
    await database?.finish(allPassed);
  });

  return {
    get database() {
      if (!database) throw new Error('The test database is used before the before() hook created it.');
      return database;
    },
    freshCopy(name) {
      const copy = copySourceHost(upgradeProofLane.sourceHost.directory, `${copyPrefix}-${process.pid}-${name}`);
      copies.push(copy);
      return copy;
    },
  };
}
