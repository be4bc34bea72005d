import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { PgBoss } from 'pg-boss';

import { runMigrations } from '../../library';
import { buildOverview, type Overview } from '../../library/overview/build-overview';
import { insertCronEntries, nightlySync, weeklyReport } from './support/cron-fixtures';
import { startHttpHost } from './support/http-host';
import { testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
let boss: PgBoss;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  await insertCronEntries(database.pool, [nightlySync, weeklyReport]);
  // The queue counts come from pg-boss's monitor, so it runs every second here.
  boss = new PgBoss({ connectionString: database.url, schedule: false, supervise: true, monitorIntervalSeconds: 1, superviseIntervalSeconds: 1, max: 3 });
  await boss.start();
  database.cleanUpAfterTest(() => boss.stop({ graceful: false }));
});

/** Waits until pg-boss's monitor has counted what the test just did. */
async function overviewWhen(ready: (overview: Overview) => boolean): Promise<Overview> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const overview = await buildOverview(database.pool, boss);
    if (ready(overview) || Date.now() > deadline) return overview;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const bucket = (overview: Overview, key: string) => overview.buckets.find((item) => item.key === key)!;

describe('buildOverview', () => {
  test('buildOverview puts failures first with the newest error', async () => {
    await boss.createQueue('emails', { retryLimit: 0 });
    await boss.send('emails', { to: 'a' });
    const [job] = await boss.fetch('emails');
    await boss.fail('emails', job.id, { message: 'SMTP 550 mailbox unavailable' });

    const overview = await overviewWhen((candidate) => bucket(candidate, 'needs_review').count > 0);

    assert.equal(overview.buckets[0].key, 'needs_review');
    const review = bucket(overview, 'needs_review');
    assert.equal(review.count, 1);
    assert.match(review.diagnosis, /1 failed job\(s\) in 1 queue\(s\); the worst is emails/);
    assert.equal(review.exemplars[0].link, `jobs/emails/${job.id}`);
    assert.deepEqual(review.exemplars[0].value, { kind: 'job_error', value: { message: 'SMTP 550 mailbox unavailable' } });
    assert.equal(review.ownership, 'Powertools-native');
    assert.equal(review.posture, 'Audited action');
  });

  test('buildOverview reports an expired active job', async () => {
    await boss.createQueue('exports', { expireInSeconds: 1 });
    await boss.send('exports', {});
    const [job] = await boss.fetch('exports');
    await database.pool.query(`update pgboss.job set started_on = now() - interval '1 hour' where id = $1::uuid`, [job.id]);

    const blocked = bucket(await buildOverview(database.pool, boss), 'blocked');

    assert.equal(blocked.count, 1);
    assert.match(blocked.diagnosis, /1 active job\(s\) ran past their expiry/);
    assert.equal(blocked.exemplars[0].link, `jobs/exports/${job.id}`);
  });

  test('buildOverview reports a blocked workflow', async () => {
    const id = '2f1c8f5e-2b7e-4d36-9a51-6a1f7d3c9b10';
    await database.pool.query(`insert into jobs_powertools.workflows (id, name, semantics_version, state) values ($1::uuid, 'invoice_run', 2, 'blocked')`, [id]);

    const blocked = bucket(await buildOverview(database.pool, boss), 'blocked');

    assert.equal(blocked.count, 1);
    assert.match(blocked.diagnosis, /1 workflow\(s\) are blocked/);
    assert.equal(blocked.exemplars[0].link, `workflows/${id}`);
  });

  test('buildOverview counts paused entries as waiting', async () => {
    await database.pool.query(`update jobs_powertools.cron_entries set paused_at = now(), paused_by = 'ops-demo' where name = $1`, [nightlySync.name]);

    const waiting = bucket(await buildOverview(database.pool, boss), 'waiting');

    assert.equal(waiting.count, 1);
    assert.match(waiting.diagnosis, /1 paused cron entry skips its slots/);
    assert.equal(waiting.exemplars[0].link, 'cron/nightly_sync');
    assert.deepEqual(waiting.exemplars[0].value, { kind: 'actor_label', value: 'ops-demo' });
  });

  test('buildOverview counts jobs completed in the last hour', async () => {
    await boss.createQueue('digest');
    for (let index = 0; index < 3; index += 1) await boss.send('digest', { index });
    for (const job of await boss.fetch('digest', { batchSize: 3 })) await boss.complete('digest', job.id);

    const recent = bucket(await buildOverview(database.pool, boss), 'recent');

    assert.equal(recent.count, 3);
    assert.equal(recent.exemplars[0].link, 'jobs?queue=digest&state=completed');
  });

  test('buildOverview hides pg-boss internal queues', async () => {
    await boss.createQueue('visible');

    const overview = await buildOverview(database.pool, boss);

    assert.ok(overview.queues.every((queue) => !queue.name.startsWith('__pgboss__')));
    assert.ok(overview.queues.some((queue) => queue.name === 'visible'));
  });
});

describe('overview pages', () => {
  test('overview page renders errors through the display policy', async () => {
    await boss.createQueue('emails', { retryLimit: 0 });
    await boss.send('emails', {});
    const [job] = await boss.fetch('emails');
    await boss.fail('emails', job.id, { message: '<img src=x onerror=alert(1)>' });
    await overviewWhen((candidate) => bucket(candidate, 'needs_review').count > 0);
    const host = await startHttpHost(database);

    const page = await host.request('', { user: testUsers.operator });

    assert.equal(page.status, 200);
    assert.ok(!page.body.includes('<img src=x'), 'the error is escaped');
    assert.match(page.body, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(page.body, /data-live-count="needs_review">1</);
  });

  test('overview.json serves bucket counts', async () => {
    const host = await startHttpHost(database);

    const response = await host.request('overview.json', { user: testUsers.viewer });
    const body = JSON.parse(response.body) as { buckets: Array<{ key: string; count: number }> };

    assert.equal(response.status, 200);
    assert.deepEqual(body.buckets.map((item) => item.key), ['needs_review', 'blocked', 'waiting', 'recent', 'operators']);
  });

  test('overview.json redirects users without access', async () => {
    const host = await startHttpHost(database);

    const response = await host.request('overview.json', { user: testUsers.nobody });

    assert.equal(response.status, 302);
  });
});
