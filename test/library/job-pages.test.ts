import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { PgBoss } from 'pg-boss';

import { type DisplayPolicy, runMigrations } from '../../library';
import {
  createTestQueues,
  insertCreatedJobs,
  invoicesQueue,
  type JobHttpHost,
  ordersQueue,
  readJobState,
  readListedJobIds,
  readOlderLink,
  seedJob,
  seedJobs,
  snapshotQueueJobs,
  startBoss,
  startJobHttpHost,
} from './support/job-fixtures';
import { testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);

let boss: PgBoss;
let bystanderBefore: Array<Record<string, unknown>>;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  boss = await startBoss(database);
  await createTestQueues(boss);
  await seedJobs(boss, invoicesQueue, ['failed', 'completed'], (index) => ({ invoice: `INV-${index}` }));
  bystanderBefore = await snapshotQueueJobs(database.pool, invoicesQueue);
});

afterEach(async () => {
  assert.deepEqual(await snapshotQueueJobs(database.pool, invoicesQueue), bystanderBefore, 'bystander queue invoices is untouched');
});

/** Sets a job's `created_on`, which pg-boss always stamps with now(). */
async function setCreatedOn(queue: string, id: string, createdOn: string): Promise<void> {
  await database.pool.query('update pgboss.job set created_on = $3::timestamptz where name = $1::text and id = $2::uuid', [queue, id, createdOn]);
}

/** Creates a queue straight through pg-boss's SQL function, which, unlike its API, accepts any name. */
async function createQueueBySql(name: string): Promise<void> {
  await database.pool.query(`select pgboss.create_queue($1::text, '{"policy":"standard"}'::jsonb)`, [name]);
}

/** Sends a job that may run three times and fails its first two attempts, so pg-boss holds only the second. */
async function seedRetriedJob(): Promise<string> {
  const id = await boss.send(ordersQueue, { orderId: 9 }, { retryLimit: 2 });
  assert.ok(id, 'pg-boss created the job');
  for (const attempt of [1, 2]) {
    const [fetched] = await boss.fetch(ordersQueue);
    assert.equal(fetched?.id, id, `attempt ${attempt} fetched the retried job`);
    await boss.fail(ordersQueue, id, { message: `attempt ${attempt} failed` });
  }
  return id;
}

function assertNoServerErrors(host: JobHttpHost): void {
  assert.deepEqual(host.events['request:failed'], [], 'no request failed with a 500');
}

describe('jobs list', () => {
  test('jobs list shows newest first', async () => {
    const [older, newer] = await seedJobs(boss, ordersQueue, ['failed', 'created']);
    await setCreatedOn(ordersQueue, older.id, '2030-01-01T00:00:00Z');
    await setCreatedOn(ordersQueue, newer.id, '2030-01-02T00:00:00Z');
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get('jobs');

    assert.equal(response.status, 200);
    assert.deepEqual(readListedJobIds(response.body).slice(0, 2), [newer.id, older.id]);
    assert.match(response.body, /4 matching job\(s\) for no filter/);
    assert.match(response.body, /<a href="\.\/jobs" aria-current="page">Jobs<\/a>/);
    assert.equal(readOlderLink(response.body), null, 'one page holds every job');
  });

  test('jobs list filters by queue and state', async () => {
    const [failed] = await seedJobs(boss, ordersQueue, ['failed', 'completed', 'created']);
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get('jobs?queue=orders&state=failed');

    assert.equal(response.status, 200);
    assert.deepEqual(readListedJobIds(response.body), [failed.id]);
    assert.match(response.body, /1 matching job\(s\) for queue orders, state failed/);
  });

  test('jobs list filters by name prefix', async () => {
    const [order] = await seedJobs(boss, ordersQueue, ['created']);
    await boss.createQueue('orders.refunds', { retryLimit: 0 });
    const [refund] = await seedJobs(boss, 'orders.refunds', ['created']);
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get('jobs?name_prefix=orders');

    assert.deepEqual(readListedJobIds(response.body).sort(), [order.id, refund.id].sort());
    assert.deepEqual(readListedJobIds((await host.get('jobs?name_prefix=orders.')).body), [refund.id]);
    assert.deepEqual(readListedJobIds((await host.get('jobs?name_prefix=%25')).body), [], 'a % is text, not a wildcard');
  });

  test('jobs list filters by created range', async () => {
    const [january, february, march] = await seedJobs(boss, ordersQueue, ['created', 'created', 'created']);
    await setCreatedOn(ordersQueue, january.id, '2030-01-15T12:00:00Z');
    await setCreatedOn(ordersQueue, february.id, '2030-02-15T12:00:00Z');
    await setCreatedOn(ordersQueue, march.id, '2030-03-15T12:00:00Z');
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get('jobs?queue=orders&created_after=2030-02-01&created_before=2030-03-01T00:00:00%2B00:00');

    assert.deepEqual(readListedJobIds(response.body), [february.id]);
    assert.deepEqual(readListedJobIds((await host.get('jobs?queue=orders&created_after=2030-02-15T12:00:00Z')).body), [march.id, february.id], 'the lower bound is inclusive');
    assert.deepEqual(readListedJobIds((await host.get('jobs?queue=orders&created_before=2030-02-15T12:00:00Z')).body), [january.id], 'the upper bound is exclusive');
  });

  test('jobs list filters by data containment', async () => {
    const jobs = await seedJobs(boss, ordersQueue, ['created', 'created', 'created', 'created'], (index) =>
      [{ customer: { id: 42 } }, { customer: { id: '42' } }, { customer: { id: 43 } }, { note: "O'Brien; drop table" }][index],
    );
    const host = await startJobHttpHost(database, { boss });

    const nested = await host.get('jobs?data_key=customer.id&data_value=42');
    const quoted = await host.get(`jobs?data_key=note&data_value=${encodeURIComponent("O'Brien; drop table")}`);

    assert.deepEqual(readListedJobIds(nested.body).sort(), [jobs[0].id, jobs[1].id].sort(), 'the value matches as a number and as a string');
    assert.deepEqual(readListedJobIds(quoted.body), [jobs[3].id]);
  });

  test('jobs list treats SQL text as data', async () => {
    await seedJobs(boss, ordersQueue, ['created', 'failed']);
    const host = await startJobHttpHost(database, { boss });

    for (const value of ["' or 1=1 --", '"); drop table pgboss.job; --', '\\', '%', '*']) {
      const response = await host.get(`jobs?data_key=customer&data_value=${encodeURIComponent(value)}`);

      assert.equal(response.status, 200, value);
      assert.deepEqual(readListedJobIds(response.body), [], value);
    }
    assertNoServerErrors(host);
    assert.match((await host.get('jobs')).body, /4 matching job\(s\)/, 'the table is intact');
  });

  test('jobs list rejects malformed filters', async () => {
    const host = await startJobHttpHost(database, { boss });
    const cases: Array<[string, RegExp]> = [
      ['state=bogus', /Unknown state &quot;bogus&quot;\. Use one of: created, retry, active, completed, cancelled, failed\./],
      ['state=FAILED', /Did you mean failed\?/],
      ['state=failed&state=created', /was given 2 times; give it once/],
      ['queue=missing', /No queue is named &quot;missing&quot;\. Known queues: invoices, orders/],
      [`queue=${encodeURIComponent("orders'; drop table pgboss.job; --")}`, /No queue is named/],
      [`queue=${'q'.repeat(300)}`, /is 300 characters long; the maximum is 255/],
      ['queue=orders%00', /contains a control character/],
      ['created_after=yesterday', /must be an ISO 8601 date or time/],
      ['created_after=2030-02-30', /That date or time does not exist/],
      ['created_after=2030-01-01T25:00', /That date or time does not exist/],
      ['created_after=2030-02-01&created_before=2030-01-01', /must be earlier than created_before/],
      ['data_key=customer.id', /was given without a data value/],
      ['data_value=42', /data value was given without a data key/],
      ['data_key=customer..id&data_value=1', /has an empty part/],
      ['data_key=a.b.c.d.e.f.g.h.i&data_value=1', /has 9 levels; the maximum is 8/],
      [`data_key=k&data_value=${'v'.repeat(501)}`, /is 501 characters long; the maximum is 500/],
      ['after=garbage', /page cursor \(after\) is not one this page wrote/],
      [`after=${encodeURIComponent("2030-01-01T00:00:00.000000Z_' or 1=1 --")}`, /page cursor \(after\) is not one this page wrote/],
      ['after=2030-13-01T00:00:00.000000Z_00000000-0000-4000-8000-000000000000', /page cursor \(after\) is not one this page wrote/],
    ];

    for (const [query, message] of cases) {
      const response = await host.get(`jobs?${query}`);

      assert.equal(response.status, 400, query);
      assert.match(response.body, message, query);
    }
    assertNoServerErrors(host);
  });

  test('jobs list pages through equal timestamps', async () => {
    // One pg-boss insert stamps every job with the same created_on, so only the id orders them.
    const ids = await insertCreatedJobs(boss, ordersQueue, 120);
    const host = await startJobHttpHost(database, { boss });

    const pages: string[][] = [];
    let link: string | null = 'jobs?queue=orders';
    while (link) {
      const response = await host.get(link);
      assert.equal(response.status, 200, link);
      assert.ok(!/offset=|page=/.test(link), 'pages are addressed by cursor, not offset');
      pages.push(readListedJobIds(response.body));
      link = readOlderLink(response.body);
    }

    assert.deepEqual(pages.map((page) => page.length), [50, 50, 20]);
    assert.deepEqual(pages.flat(), [...ids].sort().reverse(), 'every job once, ids descending within the shared timestamp');
  });

  test('jobs list cursor ignores newer inserts', async () => {
    await insertCreatedJobs(boss, ordersQueue, 60);
    const host = await startJobHttpHost(database, { boss });
    const first = await host.get('jobs?queue=orders');
    const secondLink = readOlderLink(first.body);
    assert.ok(secondLink);
    const secondBefore = readListedJobIds((await host.get(secondLink)).body);

    await insertCreatedJobs(boss, ordersQueue, 5);
    const secondAfter = readListedJobIds((await host.get(secondLink)).body);

    assert.deepEqual(secondAfter, secondBefore, 'new jobs neither shift nor repeat rows on later pages');
    assert.equal(secondAfter.length, 10);
    assert.match(secondLink, /[?&]queue=orders&after=/, 'the cursor link keeps the filter');
  });

  test('jobs list caps the count', async () => {
    await insertCreatedJobs(boss, ordersQueue, 10_050, (index) => ({ index, tenant: index < 3 ? 'acme' : 'globex' }));
    const host = await startJobHttpHost(database, { boss });

    const all = await host.get('jobs?queue=orders');
    const few = await host.get('jobs?queue=orders&data_key=tenant&data_value=acme&count=1');

    assert.match(all.body, /10,000\+ matching jobs \(counting stops at 10,000\)/);
    assert.match(few.body, /3 matching job\(s\) for queue orders, data tenant = acme/);
  });

  test('jobs list counts data filters on request', async () => {
    await seedJobs(boss, ordersQueue, ['created', 'created'], (index) => ({ tenant: index === 0 ? 'acme' : 'globex' }));
    const host = await startJobHttpHost(database, { boss });

    const page = await host.get('jobs?queue=orders&data_key=tenant&data_value=acme');
    const countLink = /<a href="([^"]*)">Count them<\/a> \(stops after 2 s\)/.exec(page.body)?.[1].replaceAll('&amp;', '&');
    const counted = countLink ? await host.get(countLink) : null;
    const badRequest = await host.get('jobs?queue=orders&count=yes');

    assert.match(page.body, /Matching jobs not counted: no pg-boss index covers job data/);
    assert.equal(readListedJobIds(page.body).length, 1, 'the page still lists the matching job');
    assert.equal(countLink, 'jobs?queue=orders&data_key=tenant&data_value=acme&count=1');
    assert.match(counted?.body ?? '', /1 matching job\(s\) for queue orders, data tenant = acme/);
    assert.equal(badRequest.status, 400);
    assert.match(badRequest.body, /The count parameter takes only 1/);
  });

  test('jobs list escapes hostile values', async () => {
    const hostileQueue = '<img src=x onerror=alert(1)>';
    await createQueueBySql(hostileQueue);
    await database.pool.query('insert into pgboss.job (name, data, singleton_key) values ($1::text, $2::jsonb, $3::text)', [
      hostileQueue,
      JSON.stringify({ html: '<script>alert("data")</script>' }),
      '"><script>alert(2)</script>',
    ]);
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get('jobs');

    assert.equal(response.status, 200);
    assert.ok(!response.body.includes('<script>'), 'no script element reaches the page');
    assert.ok(!response.body.includes('<img src=x'), 'no image element reaches the page');
    assert.match(response.body, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(response.body, /&lt;script&gt;alert\(&#92;&quot;data&#92;&quot;\)&lt;\/script&gt;/);
    const [id] = readListedJobIds(response.body);
    const detail = await host.get(`jobs/${encodeURIComponent(hostileQueue)}/${id}`);
    assert.equal(detail.status, 200);
    assert.ok(!detail.body.includes('<script>'));
    assert.ok(!detail.body.includes('<img src=x'));
  });

  test('jobs list redacts when the policy throws', async () => {
    await seedJobs(boss, ordersQueue, ['created'], () => ({ cardNumber: '4111-1111-1111-1111' }));
    const throwingPolicy: DisplayPolicy = {
      display(kind) {
        if (kind === 'job_args') throw new Error('policy bug');
        return null;
      },
    };
    const host = await startJobHttpHost(database, { boss, displayPolicy: throwingPolicy });

    const response = await host.get('jobs?queue=orders');

    assert.equal(response.status, 200);
    assert.match(response.body, /\[redacted\]/);
    assert.ok(!response.body.includes('4111'), 'the raw value never reaches the page');
    assert.ok(host.events['display:failed'].some((event) => event.kind === 'job_args' && event.page === 'view_jobs'));
  });

  test('jobs list offers bulk actions per queue', async () => {
    await seedJobs(boss, ordersQueue, ['failed']);
    const host = await startJobHttpHost(database, { boss });

    const operatorPage = await host.get('jobs?queue=orders&state=failed');
    const viewerPage = await host.get('jobs?queue=orders&state=failed', testUsers.viewer);
    const anyQueue = await host.get('jobs?state=failed');

    assert.match(operatorPage.body, /href="\.\/jobs-bulk\/orders\/retry_all_jobs\?state=failed"/);
    assert.ok(!operatorPage.body.includes('cancel_all_jobs'), 'cancel_all_jobs does not apply to failed jobs');
    assert.match(operatorPage.body, /data-posture="Audited action"/);
    assert.ok(!viewerPage.body.includes('jobs-bulk/'), 'a viewer gets no bulk links');
    assert.match(viewerPage.body, /data-posture="Inspection only"/);
    assert.match(anyQueue.body, /Choose one queue to act on the jobs of a selection in bulk/);
  });

  test('jobs list redirects users without access', async () => {
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get('jobs', testUsers.nobody);

    assert.equal(response.status, 302);
    assert.equal(response.location?.pathname, '/');
    assert.ok(host.events['action:refused'].some((event) => event.action === 'view_jobs' && event.why === 'role none does not grant view_jobs'));
  });
});

describe('job detail', () => {
  const kindTaggingPolicy: DisplayPolicy = {
    display: (kind, value) => (kind === 'job_args' || kind === 'job_output' || kind === 'job_error' ? `${kind}:${JSON.stringify(value)}` : null),
  };

  test('job detail shows data error and timing', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed', { orderId: 7 });
    const host = await startJobHttpHost(database, { boss, displayPolicy: kindTaggingPolicy });

    const response = await host.get(`jobs/orders/${job.id}`);

    assert.equal(response.status, 200);
    assert.match(response.body, /data-state="failed">failed</);
    assert.match(response.body, /job_args:\{&quot;orderId&quot;:7\}/);
    assert.match(response.body, /<h2>Last error<\/h2>\s*<pre data-testid="job-output">job_error:\{&quot;message&quot;:&quot;attempt failed for orders&quot;/);
    assert.match(response.body, /retried 0 time\(s\) of at most 0/);
    assert.match(response.body, /<dt>Created<\/dt><dd>\d{4}-\d{2}-\d{2}T/);
    assert.match(response.body, /<dt>Started<\/dt><dd>\d{4}-\d{2}-\d{2}T.* \(latest attempt\)/);
    assert.match(response.body, /<dt>Completed<\/dt><dd>\d{4}-\d{2}-\d{2}T/);
  });

  test('job detail shows completed output', async () => {
    const job = await seedJob(boss, ordersQueue, 'completed');
    const host = await startJobHttpHost(database, { boss, displayPolicy: kindTaggingPolicy });

    const response = await host.get(`jobs/orders/${job.id}`);

    assert.match(response.body, /<h2>Output<\/h2>\s*<pre data-testid="job-output">job_output:\{&quot;delivered&quot;:true\}/);
  });

  test('job detail links forensics and queue', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const host = await startJobHttpHost(database, { boss });
    const pageUrl = new URL(`jobs/orders/${job.id}`, host.mountUrl);

    const response = await host.get(pageUrl.href);
    const links = [...response.body.matchAll(/href="([^"]*)"/g)].map((match) => new URL(match[1].replaceAll('&amp;', '&'), pageUrl));

    assert.ok(links.some((link) => link.pathname === `/ops/jobs/forensics/job/orders/${job.id}`), 'links to the job forensics');
    assert.ok(links.some((link) => link.pathname === '/ops/jobs/jobs' && link.search === '?queue=orders'), 'links to the queue');
    assert.ok(links.some((link) => link.pathname === `/ops/jobs/jobs/orders/${job.id}/retry_job`), 'links to retry_job');
    assert.ok(links.every((link) => link.pathname.startsWith('/ops/jobs/')), 'every link stays under the mount');
  });

  test('job detail rejects missing jobs', async () => {
    const host = await startJobHttpHost(database, { boss });

    for (const path of ['jobs/orders/00000000-0000-4000-8000-000000000000', 'jobs/orders/not-a-uuid', 'jobs/nowhere/00000000-0000-4000-8000-000000000000']) {
      const response = await host.get(path);

      assert.equal(response.status, 404, path);
      assert.match(response.body, /It may have been deleted, or removed by pg-boss retention/);
    }
    assertNoServerErrors(host);
  });

  test('job detail redacts when the policy throws', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed', { token: 'secret-token-value' });
    const host = await startJobHttpHost(database, {
      boss,
      displayPolicy: {
        display: () => {
          throw new Error('policy bug');
        },
      },
    });

    const response = await host.get(`jobs/orders/${job.id}`);

    assert.equal(response.status, 200);
    assert.match(response.body, /<pre data-testid="job-data">\[redacted\]<\/pre>/);
    assert.match(response.body, /<pre data-testid="job-output">\[redacted\]<\/pre>/);
    assert.ok(!response.body.includes('secret-token-value'));
    assert.ok(!response.body.includes('attempt failed for orders'));
  });

  test('job detail labels retried job partial', async () => {
    const id = await seedRetriedJob();
    const host = await startJobHttpHost(database, { boss });

    const detail = await host.get(`jobs/orders/${id}`);
    const forensics = await host.get(`forensics/job/orders/${id}`);

    assert.equal((await readJobState(database.pool, ordersQueue, id))?.retry_count, 1, 'pg-boss counts one retry');
    assert.equal(detail.status, 200);
    assert.match(detail.body, /<strong data-evidence="partial evidence">partial evidence<\/strong>: pg-boss keeps only the latest of 2 attempts/);
    assert.ok(!detail.body.includes('history unavailable'), 'the job page does not call the earlier attempt history unavailable');
    assert.equal(forensics.status, 200);
    assert.match(forensics.body, /<strong data-evidence="partial evidence">partial evidence<\/strong>: pg-boss keeps only the latest of 2 attempts/);
    assert.ok(!forensics.body.includes('history unavailable'), 'the forensics page does not call the earlier attempt history unavailable');
  });

  test('job detail leaves one attempt unlabelled', async () => {
    const jobs = await seedJobs(boss, ordersQueue, ['completed', 'failed', 'retry', 'active', 'created']);
    const host = await startJobHttpHost(database, { boss });

    for (const job of jobs) {
      const detail = await host.get(`jobs/orders/${job.id}`);
      const forensics = await host.get(`forensics/job/orders/${job.id}`);

      assert.equal((await readJobState(database.pool, ordersQueue, job.id))?.retry_count, 0, `the ${job.state} job was not retried`);
      assert.equal(detail.status, 200, job.state);
      assert.ok(!detail.body.includes('partial evidence'), `the ${job.state} job page shows partial evidence`);
      assert.ok(!detail.body.includes('history unavailable'), `the ${job.state} job page shows history unavailable`);
      assert.equal(forensics.status, 200, job.state);
      assert.ok(!forensics.body.includes('data-evidence='), `the ${job.state} job forensics show an evidence gap`);
    }
  });

  test('job detail shows viewer read-only', async () => {
    const job = await seedJob(boss, ordersQueue, 'failed');
    const host = await startJobHttpHost(database, { boss });

    const response = await host.get(`jobs/orders/${job.id}`, testUsers.viewer);

    assert.equal(response.status, 200);
    assert.match(response.body, /Read-only: you can inspect this job but not change it \(role viewer does not grant retry_job\) \(role viewer does not grant delete_job\)/);
    assert.ok(!response.body.includes(`${job.id}/retry_job"`));
  });
});
