import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';

import { OperatorError, runMigrations } from '../../library';
import type { ActionDefinition } from '../../library/actions/action-definition';
import { pauseCronEntryAction, resumeCronEntryAction } from '../../library/actions/cron-actions';
import { type ActionOutcome, performAction } from '../../library/actions/perform-action';
import { createActionPreview } from '../../library/sql/create-action-preview';
import { type CronEntryRow, fingerprintCronEntry } from '../../library/sql/cron-entry-row';
import { pauseCronEntry } from '../../library/sql/pause-cron-entry';
import { insertCronEntries, listAllAuditEvents, nightlySync, readCronEntry, readPreviewUse, weeklyReport } from './support/cron-fixtures';
import { principalOf, type TestUser, testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
const operator = principalOf(testUsers.operator);
const secondOperator = principalOf(testUsers.secondOperator);
const pauseReason = 'CRM maintenance window until 06:00';

let bystanderBefore: CronEntryRow;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  await insertCronEntries(database.pool, [nightlySync, weeklyReport]);
  bystanderBefore = await readCronEntry(database.pool, weeklyReport.name);
});

afterEach(async () => {
  // Whatever a test did to nightly_sync, the bystander entry must be exactly as it was.
  assert.deepEqual(await readCronEntry(database.pool, weeklyReport.name), bystanderBefore, 'bystander weekly_report is untouched');
});

/** Opens an extra pool so a test can act over a second connection, closed after the test. */
function openSecondPool(): Pool {
  const pool = new Pool({ connectionString: database.url, max: 2 });
  database.cleanUpAfterTest(() => pool.end());
  return pool;
}

/**
 * Locks a cron entry row from a connection of its own, as a slow transaction would, and
 * returns the function that commits and releases it.
 */
async function holdEntryLock(entryName: string): Promise<() => Promise<void>> {
  const pool = openSecondPool();
  const connection = await pool.connect();
  await connection.query('begin');
  await connection.query('select name from jobs_powertools.cron_entries where name = $1::text for update', [entryName]);
  return async () => {
    await connection.query('commit');
    connection.release();
  };
}

/** Waits until `count` connections of this database wait on a lock, for at most five seconds. */
async function waitForLockWaiters(count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const { rows } = await database.pool.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (rows[0].waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} connections were waiting on a lock after 5 seconds`);
}

/** Creates the preview an operator would see on the confirm page, for the entry as it is now. */
async function previewAction(action: ActionDefinition<CronEntryRow>, user: TestUser, entryName = nightlySync.name): Promise<string> {
  const entry = await readCronEntry(database.pool, entryName);
  const preview = await createActionPreview(database.pool, {
    action: action.name,
    resource: { type: 'cron_entry', id: entryName },
    actorId: principalOf(user).id,
    expectedState: fingerprintCronEntry(entry),
    ttlSeconds: 900,
  });
  return preview.id;
}

function confirmAction(action: ActionDefinition<CronEntryRow>, previewId: string, user: TestUser, pool = database.pool): Promise<ActionOutcome> {
  // Cron actions never touch pg-boss; an unstarted instance satisfies the dependency without a connection.
  const boss = new PgBoss({ connectionString: database.url });
  return performAction({ pool, boss }, { action, resourceId: nightlySync.name, previewId, principal: principalOf(user), reason: pauseReason });
}

/** Expects an OperatorError with `status` whose message matches `message`. */
function operatorError(status: number, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof OperatorError, `expected OperatorError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.match(error.message, message);
    assert.match(error.message, /Nothing was changed|belong to you/);
    return true;
  };
}

describe('performCronAction pause', () => {
  test('performCronAction pause writes one audit event', async () => {
    const previewId = await previewAction(pauseCronEntryAction, testUsers.operator);

    const outcome = await confirmAction(pauseCronEntryAction, previewId, testUsers.operator);

    assert.equal(outcome.kind, 'performed');
    const events = await listAllAuditEvents(database.pool);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.action, 'pause_cron_entry');
    assert.equal(event.resource_type, 'cron_entry');
    assert.equal(event.resource_id, 'nightly_sync');
    assert.equal(event.actor_id, operator.id);
    assert.equal(event.actor_type, 'user');
    assert.equal(event.actor_label, 'ops-demo');
    assert.equal(event.reason, pauseReason);
    assert.equal(event.details.preview_id, previewId);
    assert.deepEqual((event.details.before as { paused: boolean }).paused, false);
    assert.deepEqual((event.details.after as { paused: boolean }).paused, true);
    if (outcome.kind === 'performed') assert.equal(outcome.auditEvent.id, event.id);
  });

  test('performCronAction pause records who and why', async () => {
    const previewId = await previewAction(pauseCronEntryAction, testUsers.operator);

    await confirmAction(pauseCronEntryAction, previewId, testUsers.operator);

    const entry = await readCronEntry(database.pool, nightlySync.name);
    assert.ok(entry.paused_at instanceof Date, 'paused_at is set');
    assert.equal(entry.paused_by, 'ops-demo');
    assert.equal(entry.paused_reason, pauseReason);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: true, auditEventId: (await listAllAuditEvents(database.pool))[0].id });
  });

  test('performCronAction second confirm is already_performed', async () => {
    const previewId = await previewAction(pauseCronEntryAction, testUsers.operator);
    const first = await confirmAction(pauseCronEntryAction, previewId, testUsers.operator);
    const afterFirst = await readCronEntry(database.pool, nightlySync.name);

    const second = await confirmAction(pauseCronEntryAction, previewId, testUsers.operator);

    assert.equal(first.kind, 'performed');
    assert.equal(second.kind, 'already_performed');
    if (first.kind === 'performed' && second.kind === 'already_performed') assert.equal(second.auditEventId, first.auditEvent.id);
    assert.equal((await listAllAuditEvents(database.pool)).length, 1, 'no second audit event');
    assert.deepEqual(await readCronEntry(database.pool, nightlySync.name), afterFirst, 'the entry did not change again');
  });

  test('performCronAction racing confirms act once', async () => {
    const previewId = await previewAction(pauseCronEntryAction, testUsers.operator);
    const secondConnection = openSecondPool();
    const releaseEntry = await holdEntryLock(nightlySync.name);

    // Both confirms start while the entry is locked, so they overlap instead of running one after the other.
    const racing = Promise.all([
      confirmAction(pauseCronEntryAction, previewId, testUsers.operator, database.pool),
      confirmAction(pauseCronEntryAction, previewId, testUsers.operator, secondConnection),
    ]);
    await waitForLockWaiters(2);
    await releaseEntry();
    const outcomes = await racing;

    assert.deepEqual(outcomes.map((outcome) => outcome.kind).sort(), ['already_performed', 'performed']);
    assert.equal((await listAllAuditEvents(database.pool)).length, 1);
  });

  test('performCronAction racing previews pause once', async () => {
    // Two operators previewed the same active entry, so only the first confirm can still match it.
    const firstPreview = await previewAction(pauseCronEntryAction, testUsers.operator);
    const secondPreview = await previewAction(pauseCronEntryAction, testUsers.secondOperator);
    const secondConnection = openSecondPool();
    const releaseEntry = await holdEntryLock(nightlySync.name);

    const racing = Promise.allSettled([
      confirmAction(pauseCronEntryAction, firstPreview, testUsers.operator, database.pool),
      confirmAction(pauseCronEntryAction, secondPreview, testUsers.secondOperator, secondConnection),
    ]);
    await waitForLockWaiters(2);
    await releaseEntry();
    const outcomes = await racing;

    const performed = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    assert.equal(performed.length, 1);
    assert.equal(refused.length, 1);
    operatorError(409, /changed since the preview \(it is now paused\)/)((refused[0] as PromiseRejectedResult).reason);
    assert.equal((await listAllAuditEvents(database.pool)).length, 1);
  });

  test('performCronAction rejects another actor preview', async () => {
    const previewId = await previewAction(pauseCronEntryAction, testUsers.operator);
    const before = await readCronEntry(database.pool, nightlySync.name);

    await assert.rejects(
      confirmAction(pauseCronEntryAction, previewId, testUsers.secondOperator),
      operatorError(403, /does not belong to you or to this action/),
    );

    assert.deepEqual(await readCronEntry(database.pool, nightlySync.name), before);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: false, auditEventId: null }, 'the owner can still use it');
  });

  test('performCronAction rejects preview of another action', async () => {
    await pauseCronEntry(database.pool, nightlySync.name, 'ops-demo', pauseReason);
    const resumePreview = await previewAction(resumeCronEntryAction, testUsers.operator);
    const before = await readCronEntry(database.pool, nightlySync.name);

    await assert.rejects(confirmAction(pauseCronEntryAction, resumePreview, testUsers.operator), operatorError(403, /does not belong to you or to this action/));

    assert.deepEqual(await readCronEntry(database.pool, nightlySync.name), before);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('performCronAction rejects preview of another entry', async () => {
    const bystanderPreview = await previewAction(pauseCronEntryAction, testUsers.operator, weeklyReport.name);
    const before = await readCronEntry(database.pool, nightlySync.name);

    await assert.rejects(confirmAction(pauseCronEntryAction, bystanderPreview, testUsers.operator), operatorError(403, /does not belong to you or to this action/));

    assert.deepEqual(await readCronEntry(database.pool, nightlySync.name), before);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('performCronAction rejects unknown preview ids', async () => {
    for (const previewId of ['', 'not-a-uuid', "' or 1=1 --", '00000000-0000-4000-8000-000000000000']) {
      await assert.rejects(confirmAction(pauseCronEntryAction, previewId, testUsers.operator), operatorError(403, /does not belong to you/), `preview id ${JSON.stringify(previewId)}`);
    }

    assert.equal((await readCronEntry(database.pool, nightlySync.name)).paused_at, null);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('performCronAction rejects an expired preview', async () => {
    const previewId = await previewAction(pauseCronEntryAction, testUsers.operator);
    await database.pool.query(`update jobs_powertools.action_previews set expires_at = now() - interval '1 second' where id = $1::uuid`, [previewId]);
    const before = await readCronEntry(database.pool, nightlySync.name);

    await assert.rejects(confirmAction(pauseCronEntryAction, previewId, testUsers.operator), operatorError(409, /This preview expired at .*open a fresh preview/));

    assert.deepEqual(await readCronEntry(database.pool, nightlySync.name), before);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: false, auditEventId: null });
  });

  test('performCronAction rejects preview after entry update', async () => {
    const previewId = await previewAction(pauseCronEntryAction, testUsers.operator);
    // A deploy changed the schedule after the operator opened the preview.
    await database.pool.query(
      `update jobs_powertools.cron_entries set schedule = '30 2 * * *', updated_at = now() + interval '1 second' where name = $1::text`,
      [nightlySync.name],
    );
    const before = await readCronEntry(database.pool, nightlySync.name);

    await assert.rejects(confirmAction(pauseCronEntryAction, previewId, testUsers.operator), operatorError(409, /nightly_sync changed since the preview \(it is now active\)/));

    assert.deepEqual(await readCronEntry(database.pool, nightlySync.name), before);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: false, auditEventId: null });
  });

  test('performCronAction rejects preview after foreign pause', async () => {
    const previewId = await previewAction(pauseCronEntryAction, testUsers.operator);
    await pauseCronEntry(database.pool, nightlySync.name, 'ops-second', 'paused from another tab for the CRM upgrade');
    const before = await readCronEntry(database.pool, nightlySync.name);

    await assert.rejects(confirmAction(pauseCronEntryAction, previewId, testUsers.operator), operatorError(409, /changed since the preview \(it is now paused\)/));

    const after = await readCronEntry(database.pool, nightlySync.name);
    assert.deepEqual(after, before);
    assert.equal(after.paused_by, 'ops-second', 'the other pause keeps its author');
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('performCronAction rejects a deleted entry', async () => {
    const previewId = await previewAction(pauseCronEntryAction, testUsers.operator);
    await database.pool.query('delete from jobs_powertools.cron_entries where name = $1::text', [nightlySync.name]);

    await assert.rejects(confirmAction(pauseCronEntryAction, previewId, testUsers.operator), operatorError(404, /nightly_sync no longer exists/));

    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: false, auditEventId: null });
  });
});

describe('performCronAction resume', () => {
  test('performCronAction resume clears the pause', async () => {
    await confirmAction(pauseCronEntryAction, await previewAction(pauseCronEntryAction, testUsers.operator), testUsers.operator);
    const previewId = await previewAction(resumeCronEntryAction, testUsers.secondOperator);

    const outcome = await confirmAction(resumeCronEntryAction, previewId, testUsers.secondOperator);

    assert.equal(outcome.kind, 'performed');
    const entry = await readCronEntry(database.pool, nightlySync.name);
    assert.equal(entry.paused_at, null);
    assert.equal(entry.paused_by, null);
    assert.equal(entry.paused_reason, null);
    assert.ok(entry.resumed_at instanceof Date, 'resumed_at is set');
    const events = await listAllAuditEvents(database.pool);
    assert.deepEqual(events.map((event) => [event.action, event.actor_id]), [
      ['pause_cron_entry', operator.id],
      ['resume_cron_entry', secondOperator.id],
    ]);
    assert.equal(events[1].details.preview_id, previewId);
  });

  test('performCronAction resume rejects an active entry', async () => {
    // The preview matches the entry, but resume does not apply to an entry that is not paused.
    const previewId = await previewAction(resumeCronEntryAction, testUsers.operator);
    const before = await readCronEntry(database.pool, nightlySync.name);

    await assert.rejects(confirmAction(resumeCronEntryAction, previewId, testUsers.operator), operatorError(409, /no longer qualifies for resume_cron_entry/));

    assert.deepEqual(await readCronEntry(database.pool, nightlySync.name), before);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: false, auditEventId: null });
  });
});
