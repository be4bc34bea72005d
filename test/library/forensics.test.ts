import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { PgBoss } from 'pg-boss';

import { createPowertools, runMigrations } from '../../library';
import { buildCronEntryForensics } from '../../library/forensics/cron-entry-forensics';
import { buildJobForensics } from '../../library/forensics/job-forensics';
import { buildQueueForensics } from '../../library/forensics/queue-forensics';
import { insertAuditEvent } from '../../library/sql/insert-audit-event';
import { pauseCronEntry } from '../../library/sql/pause-cron-entry';
import { nightlySync, weeklyReport } from './support/cron-fixtures';
import { startHttpHost } from './support/http-host';
import { headerAuth, libraryDefaultDisplay, principalOf, testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
let boss: PgBoss;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  boss = new PgBoss({ connectionString: database.url, schedule: false, supervise: false, max: 2 });
  await boss.start();
  database.cleanUpAfterTest(() => boss.stop({ graceful: false }));
});

/** Declares the two entries, backdates them and fires the newest slot, leaving older slots missed. */
async function fireAfterDowntime(): Promise<void> {
  const powertools = createPowertools({ repo: database.pool, boss, auth: headerAuth, displayPolicy: libraryDefaultDisplay, cronEntries: [nightlySync, weeklyReport], schedulerIntervalSeconds: 60 });
  await powertools.runtime.start();
  await powertools.runtime.stop();
  await database.pool.query(`update jobs_powertools.cron_entries set created_at = now() - interval '3 days'`);
  // The scheduler counts slots only from when the library began recording them, so that moment
  // moves back too, a minute after the entry was created, which leaves a gap to label.
  await database.pool.query(`update jobs_powertools.migrations set applied_at = now() - interval '3 days' + interval '1 minute' where name = '0005_create_cron_slots'`);
  await powertools.runtime.tick(new Date());
}

describe('buildCronEntryForensics', () => {
  test('buildCronEntryForensics merges slots and audit events', async () => {
    await fireAfterDowntime();
    await pauseCronEntry(database.pool, nightlySync.name, 'ops-demo', 'CRM maintenance window');
    await insertAuditEvent(database.pool, { action: 'pause_cron_entry', resource: { type: 'cron_entry', id: nightlySync.name }, principal: principalOf(testUsers.operator), reason: 'CRM maintenance window', details: {} });

    const forensics = await buildCronEntryForensics(database.pool, nightlySync.name);

    const sources = forensics!.timeline.map((item) => item.source);
    assert.ok(sources.includes('audit event'));
    assert.equal(forensics!.timeline.filter((item) => item.summary.startsWith('slot fired')).length, 1);
    assert.equal(forensics!.timeline.filter((item) => item.summary.startsWith('slot missed')).length, 2, 'two older daily slots were missed');
    assert.ok(forensics!.timeline.some((item) => item.summary === 'paused by ops-demo'));
    const times = forensics!.timeline.map((item) => item.at.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  });

  test('buildCronEntryForensics labels a pause without reason', async () => {
    await fireAfterDowntime();
    await database.pool.query(`update jobs_powertools.cron_entries set paused_at = now(), paused_by = 'ops-lead', paused_reason = null where name = $1`, [nightlySync.name]);

    const forensics = await buildCronEntryForensics(database.pool, nightlySync.name);

    assert.ok(forensics!.gaps.some((gap) => gap.label === 'history unavailable' && /no recorded reason/.test(gap.explanation)));
  });

  test('buildCronEntryForensics labels slots before recording began', async () => {
    await fireAfterDowntime();

    const forensics = await buildCronEntryForensics(database.pool, nightlySync.name);

    assert.ok(forensics!.gaps.some((gap) => gap.label === 'history unavailable' && /0005_create_cron_slots/.test(gap.explanation)));
  });

  test('buildCronEntryForensics returns null for unknown entries', async () => {
    assert.equal(await buildCronEntryForensics(database.pool, 'never_declared'), null);
  });

  test('buildCronEntryForensics keeps a removed entry with history', async () => {
    await insertAuditEvent(database.pool, { action: 'pause_cron_entry', resource: { type: 'cron_entry', id: 'removed_entry' }, principal: principalOf(testUsers.operator), reason: 'old', details: {} });

    const forensics = await buildCronEntryForensics(database.pool, 'removed_entry');

    assert.ok(forensics!.gaps.some((gap) => gap.label === 'unknown'));
    assert.equal(forensics!.nextPaths[0].ownership, 'host-owned follow-up');
  });
});

describe('buildJobForensics', () => {
  test('buildJobForensics links a cron job to its slot', async () => {
    await fireAfterDowntime();
    const [job] = await boss.findJobs(nightlySync.queue);

    const forensics = await buildJobForensics(database.pool, boss, nightlySync.queue, job.id);

    assert.ok(forensics!.timeline.some((item) => item.source === 'cron slot' && item.link === 'forensics/cron_entry/nightly_sync'));
    assert.ok(forensics!.timeline.some((item) => item.source === 'job' && item.summary === `created in queue ${nightlySync.queue}`));
    assert.equal(forensics!.resourceLink, `jobs/${nightlySync.queue}/${job.id}`);
  });

  test('buildJobForensics labels earlier attempts as partial', async () => {
    await boss.createQueue('flaky', { retryLimit: 2 });
    const id = await boss.send('flaky', { n: 1 });
    const [first] = await boss.fetch('flaky');
    await boss.fail('flaky', first.id, { message: 'first attempt failed' });
    const [second] = await boss.fetch('flaky');
    await boss.fail('flaky', second.id, { message: 'second attempt failed' });
    assert.equal(id, second.id);

    const forensics = await buildJobForensics(database.pool, boss, 'flaky', id!);

    assert.ok(forensics!.gaps.some((gap) => gap.label === 'partial evidence' && /only the latest of 2 attempts/.test(gap.explanation)));
  });

  test('buildJobForensics leaves one attempt unlabelled', async () => {
    await boss.createQueue('single', { retryLimit: 1 });
    const completed = await boss.send('single', { n: 1 });
    assert.equal((await boss.fetch('single'))[0]?.id, completed);
    await boss.complete('single', completed!, { done: true });
    const waitingForRetry = await boss.send('single', { n: 2 }, { retryDelay: 3600 });
    assert.equal((await boss.fetch('single'))[0]?.id, waitingForRetry);
    await boss.fail('single', waitingForRetry!, { message: 'first attempt failed' });

    for (const id of [completed!, waitingForRetry!]) {
      const forensics = await buildJobForensics(database.pool, boss, 'single', id);

      assert.deepEqual(forensics!.gaps, [], `job ${id} has no evidence gap`);
      assert.ok(forensics!.timeline.some((item) => item.summary === 'latest attempt started (attempt 1 of 2)'), `job ${id} ran one attempt`);
    }
  });

  test('buildJobForensics labels a deleted job', async () => {
    await boss.createQueue('gone');
    const id = await boss.send('gone', {});
    await insertAuditEvent(database.pool, { action: 'cancel_job', resource: { type: 'job', id: `gone/${id}` }, principal: principalOf(testUsers.operator), reason: 'duplicate', details: {} });
    await boss.deleteJob('gone', id!);

    const forensics = await buildJobForensics(database.pool, boss, 'gone', id!);

    assert.ok(forensics!.gaps.some((gap) => gap.label === 'history unavailable'));
    assert.ok(forensics!.timeline.some((item) => item.source === 'audit event'));
  });

  test('buildJobForensics rejects ids that are not uuids', async () => {
    assert.equal(await buildJobForensics(database.pool, boss, 'gone', "1' or '1'='1"), null);
  });
});

describe('buildQueueForensics', () => {
  test('buildQueueForensics lists entries firing into it', async () => {
    await fireAfterDowntime();

    const forensics = await buildQueueForensics(database.pool, boss, nightlySync.queue);

    assert.ok(forensics!.timeline.some((item) => item.link === 'forensics/cron_entry/nightly_sync'));
    assert.ok(forensics!.gaps.some((gap) => gap.label === 'partial evidence'));
  });

  test('buildQueueForensics returns null for unknown queues', async () => {
    assert.equal(await buildQueueForensics(database.pool, boss, 'no_such_queue'), null);
  });
});

describe('forensics pages', () => {
  test('forensics page escapes and labels evidence', async () => {
    await fireAfterDowntime();
    await insertAuditEvent(database.pool, { action: 'pause_cron_entry', resource: { type: 'cron_entry', id: nightlySync.name }, principal: principalOf(testUsers.operator), reason: '<script>alert(1)</script>', details: {} });
    const host = await startHttpHost(database);

    const page = await host.request('forensics/cron_entry/nightly_sync', { user: testUsers.operator });

    assert.equal(page.status, 200);
    assert.ok(!page.body.includes('<script>alert(1)</script>'));
    assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(page.body, /data-evidence="history unavailable"/);
    assert.match(page.body, /data-ownership="Powertools-native"/);
    assert.match(page.body, /data-ownership="host-owned follow-up"/);
  });

  test('forensics page answers 404 without evidence', async () => {
    const host = await startHttpHost(database);

    const page = await host.request('forensics/queue/nothing_here', { user: testUsers.operator });

    assert.equal(page.status, 404);
    assert.match(page.body, /no evidence about queue nothing_here/);
  });

  test('forensics page redirects users without access', async () => {
    const host = await startHttpHost(database);

    const page = await host.request('forensics/queue/nightly_sync', { user: testUsers.nobody });

    assert.equal(page.status, 302);
    assert.equal(page.rawLocation, '/');
  });
});
