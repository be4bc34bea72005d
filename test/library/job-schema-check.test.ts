import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { checkPgBossSchema, createPowertools, PowertoolsConfigError, runMigrations, supportedPgBossSchemaVersions } from '../../library';
import { jobHeaderAuth, startBoss } from './support/job-fixtures';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
});

/** Rewrites the recorded pg-boss schema version, as a database migrated by another pg-boss release would have it. */
async function setRecordedVersion(version: number): Promise<void> {
  await database.pool.query('update pgboss.version set version = $1::int', [version]);
}

/** Expects a PowertoolsConfigError for option `boss` whose message matches every pattern. */
function configError(...patterns: RegExp[]) {
  return (error: unknown) => {
    assert.ok(error instanceof PowertoolsConfigError, `expected PowertoolsConfigError, got ${String(error)}`);
    assert.equal(error.option, 'boss');
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  };
}

describe('checkPgBossSchema', () => {
  test('checkPgBossSchema accepts the installed schema', async () => {
    await startBoss(database);

    const version = await checkPgBossSchema(database.pool);

    assert.equal(version, supportedPgBossSchemaVersions.maximum);
  });

  test('checkPgBossSchema rejects a missing schema', async () => {
    await assert.rejects(checkPgBossSchema(database.pool), configError(/No pg-boss schema was found/, /pgboss\.version is missing/, /supports pg-boss schema version 46/, /Call boss\.start\(\) before runtime\.start\(\)/));
  });

  test('checkPgBossSchema rejects an older schema', async () => {
    await startBoss(database);
    await setRecordedVersion(45);

    await assert.rejects(checkPgBossSchema(database.pool), configError(/is at version 45/, /supports pg-boss schema version 46/, /Upgrade pg-boss/, /start it once so it migrates/));
  });

  test('checkPgBossSchema rejects a newer schema', async () => {
    await startBoss(database);
    await setRecordedVersion(47);

    await assert.rejects(checkPgBossSchema(database.pool), configError(/is at version 47, newer than koa-jobs-powertools supports/, /version 46/, /Upgrade koa-jobs-powertools/));
  });

  test('checkPgBossSchema rejects an empty version table', async () => {
    await startBoss(database);
    await database.pool.query('delete from pgboss.version');

    await assert.rejects(checkPgBossSchema(database.pool), configError(/has no version row/, /shape is unknown/));
  });
});

describe('runtime.start schema check', () => {
  test('runtime.start rejects unsupported pg-boss schema', async () => {
    const boss = await startBoss(database);
    await setRecordedVersion(44);
    const powertools = createPowertools({ repo: database.pool, auth: jobHeaderAuth, displayPolicy: { display: () => null }, boss, cronEntries: [{ name: 'nightly_sync', schedule: '0 2 * * *', queue: 'nightly_sync' }] });
    const started: unknown[] = [];
    powertools.events.on('scheduler:started', (event) => started.push(event));

    await assert.rejects(powertools.runtime.start(), configError(/is at version 44/));

    assert.deepEqual(started, [], 'the scheduler did not start');
    const { rows } = await database.pool.query<{ count: number }>('select count(*)::int as count from jobs_powertools.cron_entries');
    assert.equal(rows[0].count, 0, 'no cron entry was synchronised');
  });

  test('runtime.start accepts supported pg-boss schema', async () => {
    const boss = await startBoss(database);
    const powertools = createPowertools({ repo: database.pool, auth: jobHeaderAuth, displayPolicy: { display: () => null }, boss, schedulerIntervalSeconds: 60 });

    await powertools.runtime.start();
    database.cleanUpAfterTest(() => powertools.runtime.stop());
  });
});
