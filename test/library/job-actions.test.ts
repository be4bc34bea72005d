import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { PgBoss } from 'pg-boss';

import { OperatorError, runMigrations } from '../../library';
import type { ActionDefinition } from '../../library/actions/action-definition';
import { cancelJobAction, deleteJobAction, type JobTarget, resumeJobAction, retryJobAction } from '../../library/actions/job-actions';
import { type ActionOutcome, performAction } from '../../library/actions/perform-action';
import { formatJobResourceId } from '../../library/jobs/job-resource-id';
import { createActionPreview } from '../../library/sql/create-action-preview';
import { listAllAuditEvents, readPreviewUse } from './support/cron-fixtures';
import { createTestQueues, invoicesQueue, ordersQueue, readJobState, type SeededJob, seedJob, seedJobs, snapshotQueueJobs, startBoss } from './support/job-fixtures';
import { principalOf, type TestUser, testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
const operator = principalOf(testUsers.operator);
const reason = 'customer asked us to send the receipt again';

let boss: PgBoss;
let bystanderBefore: Array<Record<string, unknown>>;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  boss = await startBoss(database);
  await createTestQueues(boss);
  await seedJobs(boss, invoicesQueue, ['failed', 'completed', 'created', 'cancelled']);
  bystanderBefore = await snapshotQueueJobs(database.pool, invoicesQueue);
});

afterEach(async () => {
  assert.deepEqual(await snapshotQueueJobs(database.pool, invoicesQueue), bystanderBefore, 'bystander queue invoices is untouched');
});

/** Creates the preview an operator would see on the confirm page, for the job as it is now. */
async function previewAction(action: ActionDefinition<JobTarget>, job: SeededJob, user: TestUser = testUsers.operator): Promise<string> {
  const resourceId = formatJobResourceId(job.queue, job.id);
  const target = await action.load(database.pool, resourceId, { forUpdate: false });
  assert.ok(target, `job ${resourceId} loads`);
  const preview = await createActionPreview(database.pool, {
    action: action.name,
    resource: { type: 'job', id: resourceId },
    actorId: principalOf(user).id,
    expectedState: action.fingerprint(target),
    ttlSeconds: 900,
  });
  return preview.id;
}

function confirmAction(action: ActionDefinition<JobTarget>, job: SeededJob, previewId: string, user: TestUser = testUsers.operator): Promise<ActionOutcome> {
  return performAction({ pool: database.pool, boss }, { action, resourceId: formatJobResourceId(job.queue, job.id), previewId, principal: principalOf(user), reason });
}

/** Expects an OperatorError with `status` whose message matches `message` and states that nothing changed. */
function operatorError(status: number, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof OperatorError, `expected OperatorError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.match(error.message, message);
    assert.match(error.message, /Nothing was changed/);
    return true;
  };
}

describe('retry_job', () => {
  test('retry_job moves a failed job to retry', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed', { orderId: 7 });
    const previewId = await previewAction(retryJobAction, job);

    const outcome = await confirmAction(retryJobAction, job, previewId);

    assert.equal(outcome.kind, 'performed');
    assert.deepEqual(await readJobState(database.pool, ordersQueue, job.id), { state: 'retry', retry_count: 0, retry_limit: 1 });
  });

  test('retry_job writes one audit event', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const previewId = await previewAction(retryJobAction, job);

    const outcome = await confirmAction(retryJobAction, job, previewId);

    const events = await listAllAuditEvents(database.pool);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.action, 'retry_job');
    assert.equal(event.resource_type, 'job');
    assert.equal(event.resource_id, `${ordersQueue}/${job.id}`);
    assert.equal(event.actor_id, operator.id);
    assert.equal(event.reason, reason);
    assert.equal(event.details.preview_id, previewId);
    assert.equal(event.details.queue, ordersQueue);
    assert.equal(event.details.job_id, job.id);
    assert.equal((event.details.before as { state: string }).state, 'failed');
    assert.equal((event.details.after as { state: string }).state, 'retry');
    assert.equal((event.details.after as { retry_limit: number }).retry_limit, 1);
    if (outcome.kind === 'performed') assert.equal(outcome.auditEvent.id, event.id);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: true, auditEventId: event.id });
  });

  test('retry_job second confirm is already_performed', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const previewId = await previewAction(retryJobAction, job);
    const first = await confirmAction(retryJobAction, job, previewId);
    const afterFirst = await readJobState(database.pool, ordersQueue, job.id);

    const second = await confirmAction(retryJobAction, job, previewId);

    assert.equal(first.kind, 'performed');
    assert.equal(second.kind, 'already_performed');
    assert.equal((await listAllAuditEvents(database.pool)).length, 1, 'no second audit event');
    assert.deepEqual(await readJobState(database.pool, ordersQueue, job.id), afterFirst, 'the retry limit was not raised twice');
  });

  test('retry_job rejects a job completed since preview', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const previewId = await previewAction(retryJobAction, job);
    // Another operator retried it and a worker completed it before this confirmation.
    await boss.retry(ordersQueue, job.id);
    const [fetched] = await boss.fetch(ordersQueue);
    await boss.complete(ordersQueue, fetched.id);

    await assert.rejects(confirmAction(retryJobAction, job, previewId), operatorError(409, /changed since the preview \(it is now completed\)/));

    assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'completed');
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: false, auditEventId: null });
  });

  test('retry_job rejects a job retried and failed again', async () => {
    // The job is failed again at confirmation, but from a later attempt, which the fingerprint distinguishes.
    const job = await seedJob(boss, ordersQueue, 'failed');
    const previewId = await previewAction(retryJobAction, job);
    await boss.retry(ordersQueue, job.id);
    const [fetched] = await boss.fetch(ordersQueue);
    await boss.fail(ordersQueue, fetched.id, { message: 'still broken' });
    const before = await readJobState(database.pool, ordersQueue, job.id);

    await assert.rejects(confirmAction(retryJobAction, job, previewId), operatorError(409, /changed since the preview \(it is now failed\)/));

    assert.deepEqual(await readJobState(database.pool, ordersQueue, job.id), before);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('retry_job rejects a job deleted since preview', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const previewId = await previewAction(retryJobAction, job);
    await boss.deleteJob(ordersQueue, job.id);

    await assert.rejects(confirmAction(retryJobAction, job, previewId), operatorError(409, /changed since the preview \(it is now deleted\)/));

    assert.equal(await readJobState(database.pool, ordersQueue, job.id), null);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('retry_job treats pg-boss no-op as conflict', async () => {
    // The preview matches the job, but pg-boss retries only failed jobs, so it changes nothing.
    const job = await seedJob(boss, ordersQueue, 'completed');
    const previewId = await previewAction(retryJobAction, job);
    const before = await readJobState(database.pool, ordersQueue, job.id);

    await assert.rejects(confirmAction(retryJobAction, job, previewId), operatorError(409, /no longer qualifies for retry_job/));

    assert.deepEqual(await readJobState(database.pool, ordersQueue, job.id), before);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: false, auditEventId: null });
  });

  test('retry_job rejects another actor preview', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const previewId = await previewAction(retryJobAction, job, testUsers.operator);

    await assert.rejects(confirmAction(retryJobAction, job, previewId, testUsers.secondOperator), (error: unknown) => {
      assert.ok(error instanceof OperatorError);
      assert.equal(error.status, 403);
      return true;
    });

    assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'failed');
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });
});

describe('cancel_job', () => {
  for (const state of ['created', 'retry', 'active'] as const) {
    test(`cancel_job cancels a ${state} job`, async () => {
      const job = await seedJob(boss, ordersQueue, state);
      const previewId = await previewAction(cancelJobAction, job);

      const outcome = await confirmAction(cancelJobAction, job, previewId);

      assert.equal(outcome.kind, 'performed');
      assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'cancelled');
      const [event] = await listAllAuditEvents(database.pool);
      assert.equal(event.action, 'cancel_job');
      assert.equal((event.details.before as { state: string }).state, state);
      assert.equal((event.details.after as { state: string }).state, 'cancelled');
    });
  }

  test('cancel_job rejects a job started since preview', async () => {
    const job = await seedJob(boss, ordersQueue, 'created');
    const previewId = await previewAction(cancelJobAction, job);
    await boss.fetch(ordersQueue);

    await assert.rejects(confirmAction(cancelJobAction, job, previewId), operatorError(409, /changed since the preview \(it is now active\)/));

    assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'active');
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('cancel_job is inapplicable to finished jobs', async () => {
    for (const state of ['completed', 'cancelled', 'failed'] as const) {
      const job = await seedJob(boss, ordersQueue, state);
      const target = await cancelJobAction.load(database.pool, formatJobResourceId(ordersQueue, job.id), { forUpdate: false });

      assert.match(cancelJobAction.findInapplicability(target!) ?? '', new RegExp(`is ${state}; only created, retry and active jobs can be cancelled`), state);
    }
  });
});

describe('resume_job', () => {
  test('resume_job moves a cancelled job to created', async () => {
    const job = await seedJob(boss, ordersQueue, 'cancelled');
    const previewId = await previewAction(resumeJobAction, job);

    const outcome = await confirmAction(resumeJobAction, job, previewId);

    assert.equal(outcome.kind, 'performed');
    assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'created');
    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.action, 'resume_job');
    assert.equal((event.details.after as { state: string }).state, 'created');
  });

  test('resume_job rejects a job resumed by another', async () => {
    const job = await seedJob(boss, ordersQueue, 'cancelled');
    const previewId = await previewAction(resumeJobAction, job);
    await boss.resume(ordersQueue, job.id);

    await assert.rejects(confirmAction(resumeJobAction, job, previewId), operatorError(409, /changed since the preview \(it is now created\)/));

    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });
});

describe('delete_job', () => {
  test('delete_job deletes a completed job', async () => {
    const job = await seedJob(boss, ordersQueue, 'completed');
    const previewId = await previewAction(deleteJobAction, job);

    const outcome = await confirmAction(deleteJobAction, job, previewId);

    assert.equal(outcome.kind, 'performed');
    assert.equal(await readJobState(database.pool, ordersQueue, job.id), null);
    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.action, 'delete_job');
    assert.equal((event.details.before as { state: string }).state, 'completed');
    assert.deepEqual(event.details.after, { state: 'deleted' });
  });

  test('delete_job is inapplicable to an active job', async () => {
    const job = await seedJob(boss, ordersQueue, 'active');
    const target = await deleteJobAction.load(database.pool, formatJobResourceId(ordersQueue, job.id), { forUpdate: false });

    assert.match(deleteJobAction.findInapplicability(target!) ?? '', /is active: a worker is running it/);
  });

  test('delete_job rejects a job started since preview', async () => {
    const job = await seedJob(boss, ordersQueue, 'created');
    const previewId = await previewAction(deleteJobAction, job);
    await boss.fetch(ordersQueue);

    await assert.rejects(confirmAction(deleteJobAction, job, previewId), operatorError(409, /changed since the preview \(it is now active\)/));

    assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.state, 'active', 'the running job was not deleted');
  });
});

describe('job action targets', () => {
  test('job action load rejects malformed ids', async () => {
    for (const resourceId of ['', 'orders', 'orders/', '/0b7c', 'orders/not-a-uuid', "orders/' or 1=1 --"]) {
      assert.equal(await retryJobAction.load(database.pool, resourceId, { forUpdate: false }), null, JSON.stringify(resourceId));
    }
  });

  test('job action load marks missing jobs deleted', async () => {
    const target = await retryJobAction.load(database.pool, `${ordersQueue}/00000000-0000-4000-8000-000000000000`, { forUpdate: false });

    assert.ok(target);
    assert.equal(target.job, null);
    assert.deepEqual(retryJobAction.fingerprint(target), { state: 'deleted' });
    assert.match(retryJobAction.findInapplicability(target) ?? '', /does not exist in queue orders/);
  });
});
