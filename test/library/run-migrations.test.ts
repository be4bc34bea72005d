import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { Pool } from 'pg';

import { libraryMigrations, type LibraryMigration, MigrationError, readMigrationStatus, revertLastMigration, runMigrations } from '../../library';
import type { Queryable } from '../../library/db/with-transaction';
import { insertAuditEvent } from '../../library/sql/insert-audit-event';
import { listAllAuditEvents } from './support/cron-fixtures';
import { principalOf, testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
const migrationNames = libraryMigrations.map((migration) => migration.name);
const newestMigration = migrationNames[migrationNames.length - 1];

const brokenMigration: LibraryMigration = {
  name: '0099_broken',
  release: 'x',
  up: 'create table jobs_powertools.half (id int); select 1/0;',
  down: '',
};

beforeEach(async () => {
  await database.resetSchemas();
});

/** Opens an extra pool, as a second host process would, closed after the test. */
function openHostPool(): Pool {
  const pool = new Pool({ connectionString: database.url, max: 2 });
  database.cleanUpAfterTest(() => pool.end());
  return pool;
}

async function tableExists(db: Queryable, name: string): Promise<boolean> {
  const { rows } = await db.query<{ exists: boolean }>(`select to_regclass($1::text) is not null as exists`, [`jobs_powertools.${name}`]);
  return rows[0].exists;
}

async function readMigrationLog(db: Queryable): Promise<string[]> {
  if (!(await tableExists(db, 'migrations'))) return [];
  const { rows } = await db.query<{ name: string }>('select name from jobs_powertools.migrations order by name');
  return rows.map((row) => row.name);
}

/**
 * Describes every object in the jobs_powertools schema as sorted text lines: tables and their
 * columns, constraints, indexes, functions and triggers. Two equal snapshots mean two equal
 * schemas, which is how these tests check that `down` undoes exactly what `up` did.
 */
async function snapshotLibrarySchema(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ line: string }>(`
    select 'schema ' || nspname as line from pg_namespace where nspname = 'jobs_powertools'
    union all
    select format('column %s.%s %s null=%s default=%s identity=%s', table_name, column_name, data_type, is_nullable, column_default, is_identity)
      from information_schema.columns where table_schema = 'jobs_powertools'
    union all
    select format('constraint %s %s %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = 'jobs_powertools'
    union all
    select format('index %s %s', indexname, indexdef) from pg_indexes where schemaname = 'jobs_powertools'
    union all
    select format('function %s(%s)', p.proname, pg_get_function_identity_arguments(p.oid))
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'jobs_powertools'
    union all
    select format('trigger %s on %s', t.tgname, t.tgrelid::regclass)
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'jobs_powertools' and not t.tgisinternal
  `);
  return rows.map((row) => row.line).sort();
}

describe('runMigrations', () => {
  test('runMigrations applies every migration in order', async () => {
    const applied = await runMigrations(database.pool);

    assert.deepEqual(applied, migrationNames);
    assert.deepEqual(await readMigrationLog(database.pool), migrationNames);
    for (const table of ['migrations', 'audit_events', 'cron_entries', 'action_previews', 'cron_slots']) {
      assert.ok(await tableExists(database.pool, table), `table ${table} exists`);
    }
  });

  test('libraryMigrations names sort in list order', () => {
    // The storage reads the log ordered by name, so list order and name order must agree.
    assert.deepEqual([...migrationNames].sort(), migrationNames);
    assert.equal(new Set(migrationNames).size, migrationNames.length, 'migration names are unique');
  });

  test('runMigrations second run applies nothing', async () => {
    await runMigrations(database.pool);
    const before = await snapshotLibrarySchema(database.pool);

    const applied = await runMigrations(database.pool);

    assert.deepEqual(applied, []);
    assert.deepEqual(await readMigrationLog(database.pool), migrationNames);
    assert.deepEqual(await snapshotLibrarySchema(database.pool), before);
  });

  test('runMigrations stops at the to migration', async () => {
    const applied = await runMigrations(database.pool, { to: '0002_create_cron_entries' });

    assert.deepEqual(applied, ['0001_create_audit_events', '0002_create_cron_entries']);
    assert.ok(await tableExists(database.pool, 'cron_entries'));
    assert.ok(!(await tableExists(database.pool, 'action_previews')), 'migrations after "to" are not applied');

    const status = await readMigrationStatus(database.pool);
    assert.deepEqual(status.executed, ['0001_create_audit_events', '0002_create_cron_entries']);
    assert.deepEqual(status.pending, migrationNames.slice(2));
    assert.deepEqual(status.unknown, []);
  });

  test('runMigrations with applied to does nothing', async () => {
    // A host migrate script pinned to a migration is re-run on every deploy.
    await runMigrations(database.pool);

    const applied = await runMigrations(database.pool, { to: '0002_create_cron_entries' });

    assert.deepEqual(applied, []);
    assert.deepEqual(await readMigrationLog(database.pool), migrationNames);
  });

  test('runMigrations rejects an unknown to', async () => {
    await assert.rejects(runMigrations(database.pool, { to: '0002_create_cron_entry' }), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.equal(error.migration, '0002_create_cron_entry');
      assert.match(error.message, /Unknown migration "0002_create_cron_entry"/);
      assert.match(error.message, /0002_create_cron_entries/, 'the message lists the known names');
      return true;
    });

    assert.deepEqual((await readMigrationStatus(database.pool)).executed, [], 'nothing is applied');
  });

  test('runMigrations rolls back a failing migration', async () => {
    const migrations = [...libraryMigrations, brokenMigration];

    await assert.rejects(runMigrations(database.pool, { migrations }), (error: unknown) => {
      assert.ok(error instanceof MigrationError, `expected MigrationError, got ${String(error)}`);
      assert.equal(error.migration, '0099_broken');
      assert.match(error.message, /Migration 0099_broken \(up\) failed and was rolled back/);
      assert.match(error.message, /division by zero/);
      assert.match(error.message, /Fix the cause and run the migrations again/);
      assert.ok(error.cause instanceof Error, 'the Postgres error is kept as cause');
      return true;
    });

    assert.ok(!(await tableExists(database.pool, 'half')), 'the half-created table was rolled back');
    assert.deepEqual(await readMigrationLog(database.pool), migrationNames, 'no log row for the failed migration');
    const status = await readMigrationStatus(database.pool, { migrations });
    assert.deepEqual(status.pending, ['0099_broken']);
  });

  test('runMigrations retries a fixed migration', async () => {
    await runMigrations(database.pool, { migrations: [...libraryMigrations, brokenMigration] }).catch(() => undefined);
    const fixed = { ...brokenMigration, up: 'create table jobs_powertools.half (id int);' };

    const applied = await runMigrations(database.pool, { migrations: [...libraryMigrations, fixed] });

    assert.deepEqual(applied, ['0099_broken']);
    assert.ok(await tableExists(database.pool, 'half'));
  });

  test('runMigrations from two hosts applies once', async () => {
    const firstHost = openHostPool();
    const secondHost = openHostPool();

    const [first, second] = await Promise.all([runMigrations(firstHost), runMigrations(secondHost)]);

    assert.deepEqual([...first, ...second].sort(), migrationNames, 'every migration is applied by exactly one host');
    const { rows } = await database.pool.query<{ name: string; applied: number }>(
      'select name, count(*)::int as applied from jobs_powertools.migrations group by name order by name',
    );
    assert.deepEqual(rows, migrationNames.map((name) => ({ name, applied: 1 })));
  });

  test('readMigrationStatus reports unknown newer migrations', async () => {
    const future: LibraryMigration = { name: '0100_from_a_newer_library', release: '9.0.0', up: 'select 1;', down: 'select 1;' };
    await runMigrations(database.pool, { migrations: [...libraryMigrations, future] });

    const status = await readMigrationStatus(database.pool);

    assert.deepEqual(status.unknown, ['0100_from_a_newer_library']);
    assert.deepEqual(status.pending, []);
  });
});

describe('revertLastMigration', () => {
  test('revertLastMigration reverts only the newest', async () => {
    await runMigrations(database.pool);

    const reverted = await revertLastMigration(database.pool);

    assert.deepEqual(reverted, [newestMigration]);
    assert.ok(await tableExists(database.pool, 'cron_slots'), 'the migration before the newest stays applied');
    assert.ok(await tableExists(database.pool, 'cron_entries'), 'older migrations stay applied');
    const status = await readMigrationStatus(database.pool);
    assert.deepEqual(status.executed, migrationNames.slice(0, -1));
    assert.deepEqual(status.pending, [newestMigration]);
  });

  test('revertLastMigration then runMigrations restores it', async () => {
    await runMigrations(database.pool);
    const migrated = await snapshotLibrarySchema(database.pool);
    await revertLastMigration(database.pool);

    const applied = await runMigrations(database.pool);

    assert.deepEqual(applied, [newestMigration]);
    assert.deepEqual(await snapshotLibrarySchema(database.pool), migrated);
  });

  test('revertLastMigration down mirrors every up', async () => {
    const snapshots = [await snapshotLibrarySchema(database.pool)];
    for (const name of migrationNames) {
      await runMigrations(database.pool, { to: name });
      snapshots.push(await snapshotLibrarySchema(database.pool));
    }

    for (let applied = migrationNames.length; applied > 0; applied -= 1) {
      const reverted = await revertLastMigration(database.pool);

      assert.deepEqual(reverted, [migrationNames[applied - 1]]);
      assert.deepEqual(await snapshotLibrarySchema(database.pool), snapshots[applied - 1], `schema after reverting ${migrationNames[applied - 1]}`);
    }
    assert.deepEqual(snapshots[0], [], 'the database started without the schema');

    await runMigrations(database.pool);
    assert.deepEqual(await snapshotLibrarySchema(database.pool), snapshots[migrationNames.length], 'up after a full revert rebuilds the same schema');
  });

  test('revertLastMigration rejects unknown newer migrations', async () => {
    // A newer library applied 0100 on top of the newest known migration, so reverting that one underneath it could break the objects of 0100.
    const future: LibraryMigration = {
      name: '0100_from_a_newer_library',
      release: '9.0.0',
      up: 'create table jobs_powertools.future_slots (slot_at timestamptz);',
      down: 'drop table jobs_powertools.future_slots;',
    };
    await runMigrations(database.pool, { migrations: [...libraryMigrations, future] });
    const before = await snapshotLibrarySchema(database.pool);

    await assert.rejects(revertLastMigration(database.pool), (error: unknown) => {
      assert.ok(error instanceof MigrationError, `expected MigrationError, got ${String(error)}`);
      assert.equal(error.migration, '0100_from_a_newer_library');
      assert.match(error.message, /0100_from_a_newer_library/);
      assert.match(error.message, /newer/);
      return true;
    });

    assert.deepEqual(await snapshotLibrarySchema(database.pool), before, 'nothing was reverted');
    assert.deepEqual(await readMigrationLog(database.pool), [...migrationNames, '0100_from_a_newer_library']);
  });

  test('libraryMigrations up and down rerun safely', async () => {
    // A crashed host may retry a migration, so each up and down must survive a second run.
    for (const migration of libraryMigrations) {
      await database.pool.query(migration.up);
      await database.pool.query(migration.up);
    }
    for (const migration of [...libraryMigrations].reverse()) {
      await database.pool.query(migration.down);
      await database.pool.query(migration.down);
    }

    assert.deepEqual(await snapshotLibrarySchema(database.pool), []);
  });

  test('revertLastMigration on an empty database reverts nothing', async () => {
    assert.deepEqual(await revertLastMigration(database.pool), []);
  });
});

describe('audit_events', () => {
  test('audit_events rejects truncate', async () => {
    await runMigrations(database.pool);
    const event = await insertAuditEvent(database.pool, {
      action: 'pause_cron_entry',
      resource: { type: 'cron_entry', id: 'nightly_sync' },
      principal: principalOf(testUsers.operator),
      reason: 'upstream CRM is down for maintenance',
      details: {},
    });

    // A plain truncate already fails on the action_previews foreign key; cascade is the one that reaches the trigger.
    await assert.rejects(database.pool.query('truncate jobs_powertools.audit_events cascade'), /truncate rejected/);

    assert.deepEqual(await listAllAuditEvents(database.pool), [event], 'the event survived');
  });

  test('audit_events rows reject update and delete', async () => {
    await runMigrations(database.pool);
    const event = await insertAuditEvent(database.pool, {
      action: 'pause_cron_entry',
      resource: { type: 'cron_entry', id: 'nightly_sync' },
      principal: principalOf(testUsers.operator),
      reason: 'upstream CRM is down for maintenance',
      details: {},
    });

    await assert.rejects(
      database.pool.query(`update jobs_powertools.audit_events set reason = 'rewritten' where id = $1::bigint`, [event.id]),
      /audit_events rows are immutable: UPDATE of event/,
    );
    await assert.rejects(
      database.pool.query(`delete from jobs_powertools.audit_events where id = $1::bigint`, [event.id]),
      (error: { code?: string; message: string }) => {
        assert.equal(error.code, '23000', 'integrity_constraint_violation');
        assert.match(error.message, /DELETE of event/);
        return true;
      },
    );

    assert.deepEqual(await listAllAuditEvents(database.pool), [event], 'the event is unchanged');
  });
});
