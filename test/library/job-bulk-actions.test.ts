import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { PgBoss } from 'pg-boss';

import { OperatorError, runMigrations } from '../../library';
import { performAction } from '../../library/actions/perform-action';
import { type BulkJobActionName, bulkJobBatchMaximum, makeBulkJobAction } from '../../library/jobs/bulk-job-actions';
import { emptyJobFilter, type JobFilter } from '../../library/jobs/job-filter';
import { createActionPreview } from '../../library/sql/create-action-preview';
import { listAllAuditEvents, readPreviewUse } from './support/cron-fixtures';
import { createTestQueues, insertCreatedJobs, invoicesQueue, ordersQueue, readJobState, seedJobs, snapshotQueueJobs, startBoss } from './support/job-fixtures';
import { principalOf, testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
const operator = principalOf(testUsers.operator);
const reason = 'payment provider outage is over, replay the failures';

let boss: PgBoss;
let bystanderBefore: Array<Record<string, unknown>>;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  boss = await startBoss(database);
  await createTestQueues(boss);
  await seedJobs(boss, invoicesQueue, ['failed', 'failed', 'created', 'active']);
  bystanderBefore = await snapshotQueueJobs(database.pool, invoicesQueue);
});

afterEach(async () => {
  assert.deepEqual(await snapshotQueueJobs(database.pool, invoicesQueue), bystanderBefore, 'bystander queue invoices is untouched');
});

function filterOf(fields: Partial<JobFilter> = {}): JobFilter {
  return { ...emptyJobFilter, queue: ordersQueue, ...fields };
}

/** Previews a bulk action as the preview page does; returns its id and the ids it selected. */
async function previewBulk(name: BulkJobActionName, filter: JobFilter): Promise<{ previewId: string; ids: string[]; more: boolean }> {
  const action = makeBulkJobAction(name, filter);
  const target = await action.load(database.pool, ordersQueue, { forUpdate: false });
  assert.ok(target);
  const preview = await createActionPreview(database.pool, {
    action: name,
    resource: { type: 'queue', id: ordersQueue },
    actorId: operator.id,
    expectedState: action.fingerprint(target),
    ttlSeconds: 900,
  });
  return { previewId: preview.id, ids: target.ids, more: target.more };
}

/** Confirms a bulk preview as the confirm route does: the action is made for the previewed ids. */
function confirmBulk(name: BulkJobActionName, filter: JobFilter, preview: { previewId: string; ids: string[]; more: boolean }) {
  const action = makeBulkJobAction(name, filter, { ids: preview.ids, more: preview.more });
  return performAction({ pool: database.pool, boss }, { action, resourceId: ordersQueue, previewId: preview.previewId, principal: operator, reason });
}

async function countStates(queue: string): Promise<Record<string, number>> {
  const { rows } = await database.pool.query<{ state: string; count: number }>(
    'select state::text as state, count(*)::int as count from pgboss.job where name = $1::text group by state order by state',
    [queue],
  );
  return Object.fromEntries(rows.map((row) => [row.state, row.count]));
}

describe('retry_all_jobs', () => {
  test('retry_all_jobs retries the previewed failed jobs', async () => {
    await seedJobs(boss, ordersQueue, ['failed', 'failed', 'failed', 'completed', 'created']);
    const filter = filterOf({ state: 'failed' });
    const preview = await previewBulk('retry_all_jobs', filter);

    const outcome = await confirmBulk('retry_all_jobs', filter, preview);

    assert.equal(outcome.kind, 'performed');
    assert.equal(preview.ids.length, 3);
    assert.deepEqual(await countStates(ordersQueue), { completed: 1, created: 1, retry: 3 });
  });

  test('retry_all_jobs writes one audit event', async () => {
    await seedJobs(boss, ordersQueue, ['failed', 'failed']);
    const filter = filterOf({ state: 'failed' });
    const preview = await previewBulk('retry_all_jobs', filter);

    await confirmBulk('retry_all_jobs', filter, preview);

    const events = await listAllAuditEvents(database.pool);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.action, 'retry_all_jobs');
    assert.equal(event.resource_type, 'queue');
    assert.equal(event.resource_id, ordersQueue);
    assert.equal(event.reason, reason);
    assert.deepEqual(event.details.filter, { queue: ordersQueue, state: 'failed' });
    assert.equal(event.details.previewed_count, 2);
    assert.equal(event.details.changed_count, 2);
    assert.deepEqual(event.details.skipped_ids, []);
    assert.equal(event.details.more_matched, false);
    assert.deepEqual([...(event.details.before as { ids: string[] }).ids].sort(), [...preview.ids].sort());
    assert.deepEqual(await readPreviewUse(database.pool, preview.previewId), { consumed: true, auditEventId: event.id });
  });

  test('retry_all_jobs skips jobs changed since preview', async () => {
    const [kept, retriedMeanwhile, deletedMeanwhile] = await seedJobs(boss, ordersQueue, ['failed', 'failed', 'failed']);
    const filter = filterOf({ state: 'failed' });
    const preview = await previewBulk('retry_all_jobs', filter);
    await boss.retry(ordersQueue, retriedMeanwhile.id);
    await boss.deleteJob(ordersQueue, deletedMeanwhile.id);
    const limitBefore = (await readJobState(database.pool, ordersQueue, retriedMeanwhile.id))?.retry_limit;

    const outcome = await confirmBulk('retry_all_jobs', filter, preview);

    assert.equal(outcome.kind, 'performed');
    assert.equal((await readJobState(database.pool, ordersQueue, kept.id))?.state, 'retry');
    assert.equal((await readJobState(database.pool, ordersQueue, retriedMeanwhile.id))?.retry_limit, limitBefore, 'the job retried meanwhile was not retried again');
    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.details.previewed_count, 3);
    assert.equal(event.details.changed_count, 1);
    assert.deepEqual([...(event.details.skipped_ids as string[])].sort(), [retriedMeanwhile.id, deletedMeanwhile.id].sort());
  });

  test('retry_all_jobs leaves later failures alone', async () => {
    const [previewed] = await seedJobs(boss, ordersQueue, ['failed']);
    const filter = filterOf({ state: 'failed' });
    const preview = await previewBulk('retry_all_jobs', filter);
    const [failedLater] = await seedJobs(boss, ordersQueue, ['failed']);

    await confirmBulk('retry_all_jobs', filter, preview);

    assert.equal((await readJobState(database.pool, ordersQueue, previewed.id))?.state, 'retry');
    assert.equal((await readJobState(database.pool, ordersQueue, failedLater.id))?.state, 'failed', 'a job that failed after the preview was not shown, so it is not retried');
  });

  test('retry_all_jobs rejects when none still failed', async () => {
    const [job] = await seedJobs(boss, ordersQueue, ['failed']);
    const filter = filterOf({ state: 'failed' });
    const preview = await previewBulk('retry_all_jobs', filter);
    await boss.retry(ordersQueue, job.id);

    await assert.rejects(confirmBulk('retry_all_jobs', filter, preview), (error: unknown) => {
      assert.ok(error instanceof OperatorError);
      assert.equal(error.status, 409);
      assert.match(error.message, /no longer qualifies for retry_all_jobs\. Nothing was changed/);
      return true;
    });
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.deepEqual(await readPreviewUse(database.pool, preview.previewId), { consumed: false, auditEventId: null });
  });

  test('retry_all_jobs second confirm is already_performed', async () => {
    await seedJobs(boss, ordersQueue, ['failed', 'failed']);
    const filter = filterOf({ state: 'failed' });
    const preview = await previewBulk('retry_all_jobs', filter);
    await confirmBulk('retry_all_jobs', filter, preview);
    const afterFirst = await countStates(ordersQueue);

    const second = await confirmBulk('retry_all_jobs', filter, preview);

    assert.equal(second.kind, 'already_performed');
    assert.equal((await listAllAuditEvents(database.pool)).length, 1);
    assert.deepEqual(await countStates(ordersQueue), afterFirst);
  });

  test('retry_all_jobs confirm of another filter conflicts', async () => {
    await seedJobs(boss, ordersQueue, ['failed', 'failed'], (index) => ({ tenant: index === 0 ? 'acme' : 'globex' }));
    const previewed = filterOf({ state: 'failed', data: { key: 'tenant', value: 'acme' } });
    const preview = await previewBulk('retry_all_jobs', previewed);

    await assert.rejects(confirmBulk('retry_all_jobs', filterOf({ state: 'failed' }), preview), (error: unknown) => {
      assert.ok(error instanceof OperatorError);
      assert.equal(error.status, 409);
      assert.match(error.message, /changed since the preview/);
      return true;
    });
    assert.deepEqual(await countStates(ordersQueue), { failed: 2 });
  });

  test('retry_all_jobs honours the data filter', async () => {
    const jobs = await seedJobs(boss, ordersQueue, ['failed', 'failed', 'failed'], (index) => ({ tenant: ['acme', 'globex', 'acme'][index], attempt: index }));
    const filter = filterOf({ data: { key: 'tenant', value: 'acme' } });
    const preview = await previewBulk('retry_all_jobs', filter);

    await confirmBulk('retry_all_jobs', filter, preview);

    assert.deepEqual(await Promise.all(jobs.map(async (job) => (await readJobState(database.pool, ordersQueue, job.id))?.state)), ['retry', 'failed', 'retry']);
  });

  test('retry_all_jobs is inapplicable to other states', () => {
    const action = makeBulkJobAction('retry_all_jobs', filterOf({ state: 'completed' }));
    const target = { queue: ordersQueue, filter: filterOf({ state: 'completed' }), ids: [], more: false, eligibleIds: [] };

    assert.match(action.findInapplicability(target) ?? '', /retry_all_jobs acts on failed jobs, but the filter selects state completed/);
  });
});

describe('cancel_all_jobs', () => {
  test('cancel_all_jobs cancels created retry and active', async () => {
    await seedJobs(boss, ordersQueue, ['created', 'retry', 'active', 'completed', 'failed']);
    const filter = filterOf();
    const preview = await previewBulk('cancel_all_jobs', filter);

    await confirmBulk('cancel_all_jobs', filter, preview);

    assert.equal(preview.ids.length, 3);
    assert.deepEqual(await countStates(ordersQueue), { cancelled: 3, completed: 1, failed: 1 });
    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.action, 'cancel_all_jobs');
    assert.equal(event.details.changed_count, 3);
  });

  test('cancel_all_jobs caps the batch', async () => {
    await insertCreatedJobs(boss, ordersQueue, bulkJobBatchMaximum + 5);
    const filter = filterOf({ state: 'created' });
    const preview = await previewBulk('cancel_all_jobs', filter);
    const action = makeBulkJobAction('cancel_all_jobs', filter);
    const target = await action.load(database.pool, ordersQueue, { forUpdate: false });

    await confirmBulk('cancel_all_jobs', filter, preview);

    assert.equal(preview.ids.length, bulkJobBatchMaximum);
    assert.equal(preview.more, true);
    assert.match(action.describeChange(target!).join('\n'), /More than 1000 jobs match, and one action changes at most 1000/);
    assert.deepEqual(await countStates(ordersQueue), { cancelled: bulkJobBatchMaximum, created: 5 });
    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.details.previewed_count, bulkJobBatchMaximum);
    assert.equal(event.details.more_matched, true);
  });
});
