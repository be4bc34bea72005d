import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { PgBoss } from 'pg-boss';

import { createPowertools, runMigrations } from '../../library';
import { pauseCronEntryAction, runCronEntryAction } from '../../library/actions/cron-actions';
import { performAction } from '../../library/actions/perform-action';
import { createActionPreview } from '../../library/sql/create-action-preview';
import { fingerprintCronEntry } from '../../library/sql/cron-entry-row';
import type { ActionDefinition } from '../../library/actions/action-definition';
import type { CronEntryRow } from '../../library/sql/cron-entry-row';
import { insertCronEntries, listAllAuditEvents, nightlySync, readCronEntry, weeklyReport } from './support/cron-fixtures';
import { headerAuth, libraryDefaultDisplay, principalOf, testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
const operator = principalOf(testUsers.operator);
let boss: PgBoss;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  await insertCronEntries(database.pool, [nightlySync, weeklyReport]);
  boss = new PgBoss({ connectionString: database.url, schedule: false, supervise: false, max: 2 });
  await boss.start();
  database.cleanUpAfterTest(() => boss.stop({ graceful: false }));
  await boss.createQueue(nightlySync.queue);
  await boss.createQueue(weeklyReport.queue);
});

async function act(action: ActionDefinition<CronEntryRow>, reason: string) {
  const entry = await readCronEntry(database.pool, nightlySync.name);
  const preview = await createActionPreview(database.pool, {
    action: action.name,
    resource: { type: 'cron_entry', id: nightlySync.name },
    actorId: operator.id,
    expectedState: fingerprintCronEntry(entry),
    ttlSeconds: 900,
  });
  const outcome = await performAction({ pool: database.pool, boss }, { action, resourceId: nightlySync.name, previewId: preview.id, principal: operator, reason });
  return { outcome, previewId: preview.id };
}

test('run_cron_entry creates one job and records it', async () => {
  const bystanderBefore = await readCronEntry(database.pool, weeklyReport.name);

  const { outcome } = await act(runCronEntryAction, 'Backfill after the CRM outage');

  assert.equal(outcome.kind, 'performed');
  const jobs = await boss.findJobs<Record<string, unknown>>(nightlySync.queue);
  assert.equal(jobs.length, 1);
  assert.deepEqual(jobs[0].data, { ...nightlySync.args, cronEntry: nightlySync.name, cronRunBy: operator.id });
  const events = await listAllAuditEvents(database.pool);
  assert.equal(events.length, 1);
  assert.equal(events[0].action, 'run_cron_entry');
  assert.equal(events[0].details.job_id, jobs[0].id);
  const { rows: slots } = await database.pool.query(`select outcome, job_id::text as job_id from jobs_powertools.cron_slots`);
  assert.deepEqual(slots, [{ outcome: 'run_by_operator', job_id: jobs[0].id }]);
  assert.deepEqual(await readCronEntry(database.pool, weeklyReport.name), bystanderBefore);
});

test('run_cron_entry works while paused and keeps the pause', async () => {
  await act(pauseCronEntryAction, 'Hold the schedule for the migration');

  const { outcome } = await act(runCronEntryAction, 'One manual run during the hold');

  assert.equal(outcome.kind, 'performed');
  assert.notEqual((await readCronEntry(database.pool, nightlySync.name)).paused_at, null);
  assert.equal((await boss.findJobs(nightlySync.queue)).length, 1);
});

test('run_cron_entry twice on one preview runs once', async () => {
  const { previewId } = await act(runCronEntryAction, 'Backfill after the CRM outage');

  const second = await performAction({ pool: database.pool, boss }, { action: runCronEntryAction, resourceId: nightlySync.name, previewId, principal: operator, reason: 'Backfill after the CRM outage' });

  assert.equal(second.kind, 'already_performed');
  assert.equal((await boss.findJobs(nightlySync.queue)).length, 1);
});

test('run_cron_entry does not shift the schedule', async () => {
  const powertools = createPowertools({ repo: database.pool, boss, auth: headerAuth, displayPolicy: libraryDefaultDisplay, cronEntries: [nightlySync, weeklyReport], schedulerIntervalSeconds: 60 });
  await database.pool.query(`update jobs_powertools.cron_entries set created_at = now() - interval '8 days'`);
  // The scheduler counts slots only from when the library began recording them; move that moment too.
  await database.pool.query(`update jobs_powertools.migrations set applied_at = now() - interval '8 days' where name = '0005_create_cron_slots'`);
  await act(runCronEntryAction, 'Backfill after the CRM outage');

  const fired = await powertools.runtime.tick(new Date());

  assert.equal(fired, 2, 'both entries still fire their newest scheduled slot');
});

test('runCronEntryAction refuses a retired entry', async () => {
  await database.pool.query(`update jobs_powertools.cron_entries set retired_at = now() where name = $1`, [nightlySync.name]);

  assert.match(runCronEntryAction.findInapplicability(await readCronEntry(database.pool, nightlySync.name)) ?? '', /retired/);
});
