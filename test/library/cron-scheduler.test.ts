import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';

import { createPowertools, type CronEntryDeclaration, libraryMigrations, type Powertools, PowertoolsConfigError, runMigrations } from '../../library';
import type { ActionDefinition } from '../../library/actions/action-definition';
import { pauseCronEntryAction, resumeCronEntryAction } from '../../library/actions/cron-actions';
import { performAction } from '../../library/actions/perform-action';
import { createActionPreview } from '../../library/sql/create-action-preview';
import { type CronEntryRow, fingerprintCronEntry } from '../../library/sql/cron-entry-row';
import { pauseCronEntry } from '../../library/sql/pause-cron-entry';
import { readCronEntry } from './support/cron-fixtures';
import { headerAuth, libraryDefaultDisplay, principalOf, testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
const hour = 60 * 60 * 1000;
const second = 1000;

/** The entry operators pause and resume in these tests. */
const hourlyDigest: CronEntryDeclaration = { name: 'hourly_digest', schedule: '0 * * * *', timezone: 'UTC', queue: 'digest', args: { channel: 'ops' } };
/** A bystander on the same schedule, which keeps firing whatever happens to hourly_digest. */
const hourlyCleanup: CronEntryDeclaration = { name: 'hourly_cleanup', schedule: '0 * * * *', timezone: 'UTC', queue: 'cleanup', args: {} };
const declaredEntries = [hourlyDigest, hourlyCleanup];

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
});

interface SchedulerHost {
  pool: Pool;
  boss: PgBoss;
  powertools: Powertools;
  /** Names of the entries whose `cron:fired` event this host emitted, in order. */
  firedEntries: string[];
  fireFailures: Array<{ entry: string; error: unknown }>;
}

/**
 * Boots what a host process has: its own pool, a started pg-boss and the library. Ticks are
 * driven by the test; the timer is set to its longest interval so it never fires on its own.
 */
async function startSchedulerHost(cronEntries: CronEntryDeclaration[] = declaredEntries, options: { start?: boolean } = {}): Promise<SchedulerHost> {
  const pool = new Pool({ connectionString: database.url, max: 3 });
  database.cleanUpAfterTest(() => pool.end());
  const boss = new PgBoss({ connectionString: database.url, schedule: false, supervise: false, max: 3 });
  boss.on('error', (error) => process.stderr.write(`pg-boss error in test: ${String(error)}\n`));
  await boss.start();
  database.cleanUpAfterTest(() => boss.stop({ graceful: false }));

  const powertools = createPowertools({ repo: pool, auth: headerAuth, displayPolicy: libraryDefaultDisplay, boss, cronEntries, schedulerIntervalSeconds: 60 });
  const host: SchedulerHost = { pool, boss, powertools, firedEntries: [], fireFailures: [] };
  powertools.events.on('cron:fired', (event) => host.firedEntries.push(event.entry));
  powertools.events.on('cron:fire_failed', (event) => host.fireFailures.push({ entry: event.entry, error: event.error }));

  if (options.start !== false) {
    await powertools.runtime.start();
    database.cleanUpAfterTest(() => powertools.runtime.stop());
  }
  return host;
}

/** Performs an audited action on an entry as the operator would: preview, then confirm. */
async function actAsOperator(action: ActionDefinition<CronEntryRow>, entryName: string, reason: string): Promise<void> {
  const entry = await readCronEntry(database.pool, entryName);
  const preview = await createActionPreview(database.pool, {
    action: action.name,
    resource: { type: 'cron_entry', id: entryName },
    actorId: principalOf(testUsers.operator).id,
    expectedState: fingerprintCronEntry(entry),
    ttlSeconds: 900,
  });
  // Cron actions never touch pg-boss; an unstarted instance satisfies the dependency without a connection.
  const boss = new PgBoss({ connectionString: database.url });
  await performAction({ pool: database.pool, boss }, { action, resourceId: entryName, previewId: preview.id, principal: principalOf(testUsers.operator), reason });
}

/** Lists an entry's slots with the given outcome, oldest first. */
async function listSlots(entryName: string, outcome: 'fired' | 'missed' = 'fired'): Promise<Array<{ slotAt: string; jobId: string | null }>> {
  const { rows } = await database.pool.query<{ slot_at: Date; job_id: string | null }>(
    'select slot_at, job_id::text as job_id from jobs_powertools.cron_slots where entry_name = $1::text and outcome = $2::text order by slot_at',
    [entryName, outcome],
  );
  return rows.map((row) => ({ slotAt: row.slot_at.toISOString(), jobId: row.job_id }));
}

/**
 * Pretends the library has recorded slots since `moment`. The scheduler ignores slots from
 * before migration 0005 was applied, so a test set in the past has to move that moment too.
 */
async function recordSlotsSince(moment: Date): Promise<void> {
  await database.pool.query(`update jobs_powertools.migrations set applied_at = $1::timestamptz where name = '0005_create_cron_slots'`, [moment]);
}

/** Returns the top of the hour strictly after `moment`. */
function nextHourAfter(moment: Date): Date {
  return new Date((Math.floor(moment.getTime() / hour) + 1) * hour);
}

function at(base: Date, offsetMs: number): Date {
  return new Date(base.getTime() + offsetMs);
}

describe('cron scheduler firing', () => {
  test('runtime.tick fires one job per slot', async () => {
    const host = await startSchedulerHost();
    const firstSlot = nextHourAfter(new Date());

    assert.equal(await host.powertools.runtime.tick(new Date()), 0, 'no slot is due before the first one after creation');
    assert.equal(await host.powertools.runtime.tick(at(firstSlot, second)), 2);
    assert.equal(await host.powertools.runtime.tick(at(firstSlot, 2 * second)), 0, 'the same slot does not fire twice');
    assert.equal(await host.powertools.runtime.tick(at(firstSlot, hour + second)), 2);

    const slots = await listSlots(hourlyDigest.name);
    assert.deepEqual(slots.map((slot) => slot.slotAt), [firstSlot.toISOString(), at(firstSlot, hour).toISOString()]);
    const jobs = await host.boss.findJobs<Record<string, unknown>>('digest');
    assert.equal(jobs.length, 2);
    assert.deepEqual(jobs.map((job) => job.id).sort(), slots.map((slot) => slot.jobId).sort(), 'cron_slots records each job id');
    const firstJob = jobs.find((job) => job.id === slots[0].jobId);
    assert.deepEqual(firstJob?.data, { channel: 'ops', cronEntry: 'hourly_digest', cronSlotAt: firstSlot.toISOString() });
    assert.equal(firstJob?.singletonKey, `cron:hourly_digest:${firstSlot.toISOString()}`);
    assert.deepEqual(host.fireFailures, []);
  });

  test('runtime.tick skips missed slots', async () => {
    const host = await startSchedulerHost();
    const firstSlot = nextHourAfter(new Date());

    const fired = await host.powertools.runtime.tick(at(firstSlot, 5 * hour + second));

    assert.equal(fired, 2);
    assert.deepEqual((await listSlots(hourlyDigest.name)).map((slot) => slot.slotAt), [at(firstSlot, 5 * hour).toISOString()], 'only the newest due slot fires');
    const missed = await listSlots(hourlyDigest.name, 'missed');
    assert.deepEqual(missed.map((slot) => slot.slotAt), [0, 1, 2, 3, 4].map((hours) => at(firstSlot, hours * hour).toISOString()), 'the older slots are evidence');
    assert.ok(missed.every((slot) => slot.jobId === null), 'a missed slot created no job');
  });

  test('runtime.tick from three hosts fires once', async () => {
    const hosts = [await startSchedulerHost(), await startSchedulerHost(), await startSchedulerHost()];
    const slot = nextHourAfter(new Date());

    const fired = await Promise.all(hosts.map((host) => host.powertools.runtime.tick(at(slot, second))));

    assert.equal(fired.reduce((sum, count) => sum + count, 0), 2, 'each entry fires once across all hosts');
    assert.equal((await listSlots(hourlyDigest.name)).length, 1);
    assert.equal((await hosts[0].boss.findJobs('digest')).length, 1);
    assert.equal((await hosts[0].boss.findJobs('cleanup')).length, 1);
    assert.deepEqual(hosts.flatMap((host) => host.firedEntries).sort(), ['hourly_cleanup', 'hourly_digest']);
    assert.deepEqual(hosts.flatMap((host) => host.fireFailures), []);
  });

  test('runtime.tick reads the entry timezone', async () => {
    const nightlySync = { name: 'nightly_sync', schedule: '0 2 * * *', timezone: 'Europe/Berlin', queue: 'nightly_sync', args: {} };
    const host = await startSchedulerHost([nightlySync]);
    // Declared long before the chosen ticks, so every tick below has a due slot.
    await database.pool.query(`update jobs_powertools.cron_entries set created_at = '2025-01-01T00:00:00Z' where name = 'nightly_sync'`);
    await recordSlotsSince(new Date('2025-01-01T00:00:00Z'));

    await host.powertools.runtime.tick(new Date('2025-01-15T01:30:00Z'));
    await host.powertools.runtime.tick(new Date('2025-07-15T00:30:00Z'));

    assert.deepEqual((await listSlots('nightly_sync')).map((slot) => slot.slotAt), [
      '2025-01-15T01:00:00.000Z',
      '2025-07-15T00:00:00.000Z',
    ], '02:00 in Berlin is 01:00 UTC in winter and 00:00 UTC in summer');
  });

  test('runtime.tick survives a failing entry', async () => {
    const host = await startSchedulerHost();
    // An entry whose queue pg-boss does not know, as when a queue was deleted by hand.
    await database.pool.query(
      `insert into jobs_powertools.cron_entries (name, schedule, timezone, queue) values ('orphaned', '0 * * * *', 'UTC', 'no_such_queue')`,
    );
    const slot = nextHourAfter(new Date());

    const fired = await host.powertools.runtime.tick(at(slot, second));

    assert.equal(fired, 2, 'the other entries still fire');
    assert.deepEqual(host.fireFailures.map((failure) => failure.entry), ['orphaned']);
    assert.deepEqual(await listSlots('orphaned'), [], 'the slot claim rolled back with the failed send');
  });
});

describe('cron scheduler pauses', () => {
  test('runtime.tick never fires a paused entry', async () => {
    const host = await startSchedulerHost();
    await actAsOperator(pauseCronEntryAction, hourlyDigest.name, 'digest recipients list is being rebuilt');
    const firstSlot = nextHourAfter(new Date());

    for (const offset of [second, hour + second, 5 * hour + second]) {
      assert.equal(await host.powertools.runtime.tick(at(firstSlot, offset)), 1, 'only the bystander fires');
    }

    assert.deepEqual(await listSlots(hourlyDigest.name), []);
    assert.equal((await host.boss.findJobs('digest')).length, 0);
    assert.equal((await listSlots(hourlyCleanup.name)).length, 3, 'the bystander fired every slot');
  });

  test('runtime.tick racing a pause fires nothing', async () => {
    const host = await startSchedulerHost();
    const slot = nextHourAfter(new Date());
    const operatorConnection = await database.pool.connect();
    database.cleanUpAfterTest(() => operatorConnection.release());

    // The pause holds the row lock while the tick reaches the entry; the tick must wait and then see the pause.
    await operatorConnection.query('begin');
    await pauseCronEntry(operatorConnection, hourlyDigest.name, 'ops-demo', 'pausing while the tick runs');
    const tick = host.powertools.runtime.tick(at(slot, second));
    await waitForLockWaiter();
    await operatorConnection.query('commit');

    assert.equal(await tick, 1, 'only the bystander fires');
    assert.deepEqual(await listSlots(hourlyDigest.name), []);
    assert.equal((await host.boss.findJobs('digest')).length, 0);
  });

  test('runtime.tick honours a pause after restart', async () => {
    const firstRun = await startSchedulerHost();
    await actAsOperator(pauseCronEntryAction, hourlyDigest.name, 'digest recipients list is being rebuilt');
    const paused = await readCronEntry(database.pool, hourlyDigest.name);
    await firstRun.powertools.runtime.stop();

    const restarted = await startSchedulerHost();
    const slot = nextHourAfter(new Date());

    assert.equal(await restarted.powertools.runtime.tick(at(slot, second)), 1, 'only the bystander fires');
    assert.deepEqual(await listSlots(hourlyDigest.name), []);
    assert.deepEqual(await readCronEntry(database.pool, hourlyDigest.name), paused, 'the restart left the pause as it was');
  });

  test('runtime.tick skips slots inside a pause', async () => {
    const host = await startSchedulerHost();
    const topOfHour = new Date(nextHourAfter(new Date()).getTime() - hour);
    // The entry was declared five hours ago, so the hours before the pause are real past slots.
    await database.pool.query(`update jobs_powertools.cron_entries set created_at = $2::timestamptz where name = $1::text`, [
      hourlyDigest.name,
      at(topOfHour, -5 * hour),
    ]);
    await recordSlotsSince(at(topOfHour, -5 * hour));

    assert.equal(await host.powertools.runtime.tick(at(topOfHour, -4 * hour + second)), 1);
    await actAsOperator(pauseCronEntryAction, hourlyDigest.name, 'digest recipients list is being rebuilt');
    for (const offset of [-3 * hour, -hour, 0]) {
      assert.equal(await host.powertools.runtime.tick(at(topOfHour, offset + second)), 0, 'nothing fires while paused');
    }
    await actAsOperator(resumeCronEntryAction, hourlyDigest.name, 'recipients list rebuilt, digest can run');
    const resumedAt = (await readCronEntry(database.pool, hourlyDigest.name)).resumed_at;
    assert.ok(resumedAt);

    assert.equal(await host.powertools.runtime.tick(at(new Date(), second)), 0, 'slots that fell inside the pause are not replayed');
    const firstSlotAfterResume = nextHourAfter(resumedAt);
    assert.equal(await host.powertools.runtime.tick(at(firstSlotAfterResume, second)), 2);

    assert.deepEqual((await listSlots(hourlyDigest.name)).map((slot) => slot.slotAt), [
      at(topOfHour, -4 * hour).toISOString(),
      firstSlotAfterResume.toISOString(),
    ]);
  });
});

describe('runtime.start', () => {
  test('runtime.start keeps an operator pause', async () => {
    await startSchedulerHost();
    await actAsOperator(pauseCronEntryAction, hourlyDigest.name, 'digest recipients list is being rebuilt');
    const paused = await readCronEntry(database.pool, hourlyDigest.name);
    const bystander = await readCronEntry(database.pool, hourlyCleanup.name);

    // The next deploy changes the schedule and the job data of the paused entry.
    const redeclared = { ...hourlyDigest, schedule: '15 * * * *', args: { channel: 'ops', format: 'short' } };
    await startSchedulerHost([redeclared, hourlyCleanup]);

    const after = await readCronEntry(database.pool, hourlyDigest.name);
    assert.equal(after.schedule, '15 * * * *', 'the code owns the schedule');
    assert.deepEqual(after.args, { channel: 'ops', format: 'short' }, 'the code owns the job data');
    assert.deepEqual(after.paused_at, paused.paused_at, 'the operator owns the pause');
    assert.equal(after.paused_by, 'ops-demo');
    assert.equal(after.paused_reason, 'digest recipients list is being rebuilt');
    assert.deepEqual(await readCronEntry(database.pool, hourlyCleanup.name), bystander, 'the unchanged bystander is untouched');
  });

  test('runtime.start leaves unchanged entries alone', async () => {
    await startSchedulerHost();
    const before = [await readCronEntry(database.pool, hourlyDigest.name), await readCronEntry(database.pool, hourlyCleanup.name)];
    const synced: Array<{ declared: number; changed: number }> = [];

    const restarted = await startSchedulerHost(declaredEntries, { start: false });
    restarted.powertools.events.on('cron:synced', (event) => synced.push(event));
    await restarted.powertools.runtime.start();
    database.cleanUpAfterTest(() => restarted.powertools.runtime.stop());

    // An unchanged updated_at keeps operators' open previews valid across a deploy.
    assert.deepEqual([await readCronEntry(database.pool, hourlyDigest.name), await readCronEntry(database.pool, hourlyCleanup.name)], before);
    assert.deepEqual(synced, [{ declared: 2, changed: 0 }]);
  });

  test('runtime.start rejects pending migrations', async () => {
    await database.resetSchemas();
    await runMigrations(database.pool, { to: '0004_record_cron_pause_reasons' });
    const host = await startSchedulerHost(declaredEntries, { start: false });
    const started: unknown[] = [];
    host.powertools.events.on('scheduler:started', (event) => started.push(event));

    await assert.rejects(host.powertools.runtime.start(), (error: unknown) => {
      assert.ok(error instanceof PowertoolsConfigError);
      assert.equal(error.option, 'repo');
      const pending = libraryMigrations.map((migration) => migration.name).slice(4);
      assert.match(error.message, new RegExp(`${pending.length} pending koa-jobs-powertools migration\\(s\\): ${pending.join(', ')}\\.`));
      assert.match(error.message, /runMigrations\(pool\)/);
      return true;
    });

    assert.deepEqual(started, [], 'the scheduler did not start');
    const { rows } = await database.pool.query<{ count: number }>('select count(*)::int as count from jobs_powertools.cron_entries');
    assert.equal(rows[0].count, 0, 'no entries were synchronised');
    assert.equal(await host.boss.getQueue('digest'), null, 'no queue was created');
  });

  test('runtime.start rejects unknown migrations', async () => {
    // The fully migrated database of a host that a newer release of the library migrated further.
    const newerMigrations = ['0013_from_a_newer_release', '0014_from_a_newer_release'];
    for (const name of newerMigrations) {
      await database.pool.query('insert into jobs_powertools.migrations (name) values ($1::text)', [name]);
    }
    const host = await startSchedulerHost(declaredEntries, { start: false });
    // Stops a runtime that started despite the unknown migrations, so a failure here leaves no scheduler running.
    database.cleanUpAfterTest(() => host.powertools.runtime.stop());
    const started: unknown[] = [];
    host.powertools.events.on('scheduler:started', (event) => started.push(event));

    await assert.rejects(host.powertools.runtime.start(), (error: unknown) => {
      assert.ok(error instanceof PowertoolsConfigError);
      assert.equal(error.option, 'repo');
      assert.match(error.message, /^The database behind repo has 2 koa-jobs-powertools migration\(s\) that this release does not know: 0013_from_a_newer_release, 0014_from_a_newer_release\./);
      assert.match(error.message, /Upgrade koa-jobs-powertools in this host to the release that applied them/);
      assert.match(error.message, /or revert them with that release \(its npx jobs-powertools migrate down reverts the newest one per run\)/);
      return true;
    });

    assert.deepEqual(started, [], 'the scheduler did not start');
    const { rows } = await database.pool.query<{ count: number }>('select count(*)::int as count from jobs_powertools.cron_entries');
    assert.equal(rows[0].count, 0, 'no entries were synchronised');
    assert.equal(await host.boss.getQueue('digest'), null, 'no queue was created');
    const { rows: applied } = await database.pool.query<{ name: string }>('select name from jobs_powertools.migrations order by name');
    assert.deepEqual(applied.map((row) => row.name), [...libraryMigrations.map((migration) => migration.name), ...newerMigrations], 'the migration log is untouched');
  });
});

/** Waits until some connection of this database waits on a row lock, for at most five seconds. */
async function waitForLockWaiter(): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const { rows } = await database.pool.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (rows[0].waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no connection started waiting on the locked cron entry within 5 seconds');
}
