import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { PgBoss } from 'pg-boss';

import { runMigrations } from '../../library';
import { listAllAuditEvents } from './support/cron-fixtures';
import {
  createTestQueues,
  invoicesQueue,
  type JobHttpHost,
  ordersQueue,
  readJobState,
  readPreviewId,
  seedJob,
  seedJobs,
  snapshotQueueJobs,
  startBoss,
  startJobHttpHost,
} from './support/job-fixtures';
import { testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
const reason = 'the SMTP relay is back, send it again';

let boss: PgBoss;
let bystanderBefore: Array<Record<string, unknown>>;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  boss = await startBoss(database);
  await createTestQueues(boss);
  await seedJobs(boss, invoicesQueue, ['failed', 'created']);
  bystanderBefore = await snapshotQueueJobs(database.pool, invoicesQueue);
});

afterEach(async () => {
  assert.deepEqual(await snapshotQueueJobs(database.pool, invoicesQueue), bystanderBefore, 'bystander queue invoices is untouched');
});

function assertNoServerErrors(host: JobHttpHost): void {
  assert.deepEqual(host.events['request:failed'], [], 'no request failed with a 500');
}

describe('job action routes', () => {
  test('job action route retries over HTTP', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const host = await startJobHttpHost(database, { boss });
    const actionPath = `jobs/orders/${job.id}/retry_job`;

    const preview = await host.get(actionPath);
    const confirmed = await host.post(actionPath, { preview: readPreviewId(preview.body), reason });
    const detail = await host.get(`${confirmed.location?.pathname}${confirmed.location?.search}`);

    assert.equal(preview.status, 200);
    assert.match(preview.body, /Preview of <code>retry_job<\/code> on <a href="\.\.\/[0-9a-f-]{36}">job [0-9a-f-]{36} in queue orders<\/a>/);
    assert.match(preview.body, /pg-boss raises its retry limit from 0 to 1/);
    assert.equal(confirmed.status, 303);
    assert.equal(confirmed.location?.pathname, `/ops/jobs/jobs/orders/${job.id}`);
    assert.equal(confirmed.location?.search, '?outcome=performed');
    assert.match(detail.body, /Done\. The change and its audit event were committed together\./);
    assert.match(detail.body, /data-state="retry">retry</);
    assert.match(detail.body, /<code>retry_job<\/code>/, 'the audit trail of the job lists the action');
    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.resource_id, `orders/${job.id}`);
    assert.ok(host.events['action:performed'].some((performed) => performed.action === 'retry_job' && performed.auditEventId === event.id));
  });

  test('job action route rejects an inapplicable state', async () => {
    const job = await seedJob(boss, ordersQueue, 'completed');
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get(`jobs/orders/${job.id}/retry_job`);

    assert.equal(response.status, 409);
    assert.match(response.body, /is completed; only failed jobs can be retried\. Nothing to do\./);
  });

  test('job action route conflicts after deletion', async () => {
    const job = await seedJob(boss, ordersQueue, 'cancelled');
    const host = await startJobHttpHost(database, { boss });
    const actionPath = `jobs/orders/${job.id}/resume_job`;
    const previewId = readPreviewId((await host.get(actionPath)).body);
    await boss.deleteJob(ordersQueue, job.id);

    const response = await host.post(actionPath, { preview: previewId, reason });

    assert.equal(response.status, 409);
    assert.match(response.body, /changed since the preview \(it is now deleted\)\. Nothing was changed/);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assertNoServerErrors(host);
  });

  test('job action route conflicts after completion', async () => {
    const job = await seedJob(boss, ordersQueue, 'created');
    const host = await startJobHttpHost(database, { boss });
    const actionPath = `jobs/orders/${job.id}/cancel_job`;
    const previewId = readPreviewId((await host.get(actionPath)).body);
    const [fetched] = await boss.fetch(ordersQueue);
    await boss.complete(ordersQueue, fetched.id);

    const response = await host.post(actionPath, { preview: previewId, reason });

    assert.equal(response.status, 409);
    assert.match(response.body, /changed since the preview \(it is now completed\)/);
    assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'completed');
    assertNoServerErrors(host);
  });

  test('job action route rejects cross-site posts', async () => {
    const job = await seedJob(boss, ordersQueue, 'created');
    const host = await startJobHttpHost(database, { boss });
    const actionPath = `jobs/orders/${job.id}/cancel_job`;
    const previewId = readPreviewId((await host.get(actionPath)).body);

    const response = await host.post(actionPath, { preview: previewId, reason }, testUsers.operator, { origin: 'https://attacker.example' });

    assert.equal(response.status, 403);
    assert.match(response.body, /Cross-site request rejected/);
    assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'created');
  });

  test('job action route shows viewer read-only', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get(`jobs/orders/${job.id}/delete_job`, testUsers.viewer);

    assert.equal(response.status, 403);
    assert.match(response.body, /Read-only: you can inspect orders\/[0-9a-f-]{36} but not use delete_job/);
    assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'failed');
  });

  test('job action route rejects unknown actions', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get(`jobs/orders/${job.id}/drop_job`);

    assert.equal(response.status, 404);
    assert.match(response.body, /There is no job action named drop_job\. Known actions: retry_job, cancel_job, resume_job, delete_job/);
  });
});

describe('bulk job action routes', () => {
  test('bulk route retries the previewed selection', async () => {
    await seedJobs(boss, ordersQueue, ['failed', 'failed', 'completed'], (index) => ({ tenant: index === 1 ? 'globex' : 'acme' }));
    const host = await startJobHttpHost(database, { boss });
    const list = await host.get('jobs?queue=orders&state=failed&data_key=tenant&data_value=acme');
    const bulkLink = /href="([^"]*retry_all_jobs[^"]*)"/.exec(list.body)?.[1].replaceAll('&amp;', '&');
    assert.ok(bulkLink, 'the filtered list links to the bulk preview');

    const preview = await host.get(bulkLink);
    const confirmed = await host.post('jobs-bulk/orders/retry_all_jobs', { preview: readPreviewId(preview.body), reason });
    const back = await host.get(`${confirmed.location?.pathname}${confirmed.location?.search}`);

    assert.equal(preview.status, 200);
    assert.match(preview.body, /1 job\(s\) in queue orders matching queue orders, state failed, data tenant = acme move from failed to retry/);
    assert.match(preview.body, /That is every matching job right now \(one action changes at most 1000\)/);
    assert.equal(confirmed.status, 303);
    assert.equal(confirmed.location?.pathname, '/ops/jobs/jobs');
    assert.equal(confirmed.location?.searchParams.get('outcome'), 'performed');
    assert.equal(confirmed.location?.searchParams.get('data_value'), 'acme', 'the list keeps the filter');
    assert.match(back.body, /Done\. The change and its audit event were committed together\. 1 job\(s\) changed\./);
    const events = await listAllAuditEvents(database.pool);
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].details.filter, { queue: 'orders', state: 'failed', data_key: 'tenant', data_value: 'acme' });
    const { rows } = await database.pool.query<{ state: string; tenant: string }>("select state::text as state, data->>'tenant' as tenant from pgboss.job where name = 'orders' order by data->>'tenant', state");
    assert.deepEqual(rows, [{ state: 'completed', tenant: 'acme' }, { state: 'retry', tenant: 'acme' }, { state: 'failed', tenant: 'globex' }]);
  });

  test('bulk route reports skipped jobs', async () => {
    const [first] = await seedJobs(boss, ordersQueue, ['failed', 'failed']);
    const host = await startJobHttpHost(database, { boss });
    const preview = await host.get('jobs-bulk/orders/retry_all_jobs?state=failed');
    await boss.retry(ordersQueue, first.id);

    const confirmed = await host.post('jobs-bulk/orders/retry_all_jobs', { preview: readPreviewId(preview.body), reason });
    const back = await host.get(`${confirmed.location?.pathname}${confirmed.location?.search}`);

    assert.match(back.body, /1 of the 2 previewed job\(s\) changed; the other 1 had left the expected state before you confirmed\./);
  });

  test('bulk route second submit acts once', async () => {
    await seedJobs(boss, ordersQueue, ['created', 'created']);
    const host = await startJobHttpHost(database, { boss });
    const previewId = readPreviewId((await host.get('jobs-bulk/orders/cancel_all_jobs')).body);

    const first = await host.post('jobs-bulk/orders/cancel_all_jobs', { preview: previewId, reason });
    const second = await host.post('jobs-bulk/orders/cancel_all_jobs', { preview: previewId, reason });

    assert.equal(first.location?.searchParams.get('outcome'), 'performed');
    assert.equal(second.location?.searchParams.get('outcome'), 'already_performed');
    assert.equal((await listAllAuditEvents(database.pool)).length, 1);
  });

  test('bulk route rejects a mismatched state filter', async () => {
    await seedJobs(boss, ordersQueue, ['failed']);
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get('jobs-bulk/orders/cancel_all_jobs?state=failed');

    assert.equal(response.status, 409);
    assert.match(response.body, /cancel_all_jobs acts on created, retry, active jobs, but the filter selects state failed/);
  });

  test('bulk route rejects an empty selection', async () => {
    await seedJobs(boss, ordersQueue, ['completed']);
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get('jobs-bulk/orders/retry_all_jobs');

    assert.equal(response.status, 409);
    assert.match(response.body, /No failed jobs in queue orders match queue orders\. Nothing to do\./);
  });

  test('bulk route rejects another preview', async () => {
    const [job] = await seedJobs(boss, ordersQueue, ['failed']);
    const host = await startJobHttpHost(database, { boss });
    const singlePreview = readPreviewId((await host.get(`jobs/orders/${job.id}/retry_job`)).body);
    const viewerPreview = readPreviewId((await host.get('jobs-bulk/orders/retry_all_jobs', testUsers.secondOperator)).body);

    for (const previewId of [singlePreview, viewerPreview, 'not-a-uuid', '']) {
      const response = await host.post('jobs-bulk/orders/retry_all_jobs', { preview: previewId, reason });

      assert.equal(response.status, 403, previewId);
      assert.match(response.body, /does not belong to you or to this action/);
    }
    assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'failed');
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('bulk route requires a reason', async () => {
    await seedJobs(boss, ordersQueue, ['failed']);
    const host = await startJobHttpHost(database, { boss });
    const previewId = readPreviewId((await host.get('jobs-bulk/orders/retry_all_jobs')).body);

    const response = await host.post('jobs-bulk/orders/retry_all_jobs', { preview: previewId, reason: ' ' });

    assert.equal(response.status, 422);
    assert.match(response.body, /A reason is required/);
    assert.equal(readPreviewId(response.body), previewId, 'the same preview can still be confirmed');
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('bulk route checks access and queue', async () => {
    await seedJobs(boss, ordersQueue, ['failed']);
    const host = await startJobHttpHost(database, { boss });

    const viewer = await host.get('jobs-bulk/orders/retry_all_jobs', testUsers.viewer);
    const unknownQueue = await host.get('jobs-bulk/nowhere/retry_all_jobs');
    const unknownAction = await host.get('jobs-bulk/orders/delete_all_jobs');
    const badFilter = await host.get('jobs-bulk/orders/retry_all_jobs?state=bogus');
    const crossSite = await host.post('jobs-bulk/orders/retry_all_jobs', { preview: '', reason }, testUsers.operator, { origin: 'https://attacker.example' });

    assert.equal(viewer.status, 403);
    assert.match(viewer.body, /Read-only: you can inspect the jobs of queue orders but not use retry_all_jobs/);
    assert.equal(unknownQueue.status, 404);
    assert.equal(unknownAction.status, 404);
    assert.equal(badFilter.status, 400);
    assert.equal(crossSite.status, 403);
    assertNoServerErrors(host);
  });
});
