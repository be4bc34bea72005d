import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import type { PgBoss } from 'pg-boss';

import { runMigrations } from '../../library';
import { hashInlineCode } from '../../library/bridge/rewrite-dashboard-html';
import { loadDashboard } from '../../library/bridge/load-dashboard';
import { snapshotDatabase } from '../../step-definitions/support/database-snapshot';
import { useTestDatabase } from '../support/use-test-database';
import { type BridgeHost, emailsQueue, listUrls, startBridgeBoss, startBridgeHost } from './support/bridge-host';
import { seedJob, type SeededJob } from './support/job-fixtures';
import { testUsers } from './support/test-roles';

const database = useTestDatabase(__filename);

const referenceHostPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
const bannerText = /The host's display policy does not reach inside this dashboard/;

let boss: PgBoss;
let jobs: Record<'failed' | 'created' | 'cancelled' | 'completed', SeededJob>;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  boss = await startBridgeBoss(database);
  await boss.createQueue(emailsQueue, { retryLimit: 0 });
  jobs = {
    failed: await seedJob(boss, emailsQueue, 'failed', { template: 'invoice' }),
    completed: await seedJob(boss, emailsQueue, 'completed', { template: 'receipt' }),
    created: await seedJob(boss, emailsQueue, 'created', { template: 'welcome' }),
    cancelled: await seedJob(boss, emailsQueue, 'cancelled', { template: 'survey' }),
  };
  await boss.schedule(emailsQueue, '0 3 * * *', { template: 'digest' }, { key: 'nightly' });
});

function snapshotPgBoss() {
  return snapshotDatabase(database.pool, ['pgboss']);
}

function assertNoServerErrors(host: BridgeHost): void {
  assert.deepEqual(host.events['request:failed'], [], 'no request failed with a 500');
}

describe('bridge reads', () => {
  test('bridge serves every dashboard page', async () => {
    const host = await startBridgeHost(database, boss);
    const before = await snapshotPgBoss();
    const pages = [
      '', '/', '/jobs', '/jobs?state=failed', '/queues', '/queues/create', `/queues/${emailsQueue}`, `/queues/${emailsQueue}?state=all`,
      `/queues/${emailsQueue}/metrics`, '/schedules', `/schedules/${emailsQueue}/nightly`, '/schedules/new', '/send', '/migrations', '/warnings',
    ];

    for (const page of pages) {
      const response = await host.request(`/ops/jobs/pg-boss${page}`);

      assert.equal(response.status, 200, `${page}: ${response.body.slice(0, 300)}`);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/, page);
      assert.match(response.body, /data-ownership="pg-boss dashboard bridge"/, `${page} carries the bridge label`);
      assert.match(response.body, /data-posture="Inspection only"/, `${page} carries the posture`);
      assert.match(response.body, bannerText, `${page} says the display policy does not reach inside`);
    }
    assert.deepEqual(await snapshotPgBoss(), before, 'reading every page changed no pgboss row');
    assertNoServerErrors(host);
  });

  test('bridge shows the seeded queue and jobs', async () => {
    const host = await startBridgeHost(database, boss);

    const queue = await host.request(`/ops/jobs/pg-boss/queues/${emailsQueue}?state=all`);

    assert.equal(queue.status, 200);
    for (const job of Object.values(jobs)) assert.ok(queue.body.includes(job.id), `job ${job.id} (${job.state}) is listed`);
    assert.match((await host.request('/ops/jobs/pg-boss/queues')).body, new RegExp(`>${emailsQueue}<`));
  });

  test("bridge serves the dashboard's client requests", async () => {
    const host = await startBridgeHost(database, boss);
    const page = await host.request(`/ops/jobs/pg-boss/queues/${emailsQueue}`);
    const assets = listUrls(page.body).filter((url) => url.startsWith('/ops/jobs/pg-boss/assets/'));
    assert.ok(assets.length > 5, `the page links its built assets: ${assets.join(', ')}`);

    for (const asset of assets) {
      const response = await host.request(asset);
      assert.equal(response.status, 200, asset);
      assert.doesNotMatch(response.body, /fonts\.(googleapis|gstatic)\.com/, `${asset} names no off-site font host`);
    }
    const data = await host.request(`/ops/jobs/pg-boss/queues/${emailsQueue}.data?_routes=root,routes/queues.%24name`);
    assert.equal(data.status, 200);
    assert.match(data.headers.get('content-type') ?? '', /text\/x-script/);
    assert.ok(data.body.includes(jobs.created.id), 'the data request carries the jobs');
    const manifest = await host.request('/ops/jobs/pg-boss/__manifest?paths=%2Fops%2Fjobs%2Fpg-boss%2Fwarnings&version=0');
    assert.equal(manifest.status, 204, 'an outdated manifest version asks for a document reload');
    assert.equal(manifest.headers.get('x-remix-reload-document'), 'true');
    assertNoServerErrors(host);
  });

  test('bridge pins the host database', async () => {
    const host = await startBridgeHost(database, boss);

    for (const [path, headers] of [
      ['/ops/jobs/pg-boss/queues?db=elsewhere', {}],
      ['/ops/jobs/pg-boss/queues', { cookie: 'pgboss_db=elsewhere; host.sess=abc' }],
    ] as const) {
      const response = await host.request(path, { headers });
      assert.equal(response.status, 200, path);
      assert.match(response.body, new RegExp(`>${emailsQueue}<`), 'the host database is shown');
      assert.doesNotMatch(response.body, /elsewhere/, 'the choice never reaches the dashboard');
      assert.equal(response.headers.get('set-cookie'), null, 'the dashboard sets no cookie');
    }
  });
});

describe('bridge writes', () => {
  /** Every write the dashboard offers, sent directly as its forms and fetchers send it. */
  const writes = (): Array<{ name: string; path: string; form: Record<string, string> }> => [
    { name: 'job:retry', path: `/queues/${emailsQueue}/jobs/${jobs.failed.id}`, form: { intent: 'retry' } },
    { name: 'job:retry', path: `/queues/${emailsQueue}`, form: { intent: 'retry', jobId: jobs.failed.id } },
    { name: 'job:cancel', path: `/queues/${emailsQueue}/jobs/${jobs.created.id}.data`, form: { intent: 'cancel' } },
    { name: 'job:resume', path: `/queues/${emailsQueue}`, form: { intent: 'resume', jobId: jobs.cancelled.id } },
    { name: 'job:delete', path: `/queues/${emailsQueue}/jobs/${jobs.completed.id}`, form: { intent: 'delete' } },
    { name: 'job:send', path: '/send', form: { queueName: emailsQueue, data: '{"template":"intruder"}' } },
    { name: 'queue:create', path: '/queues/create', form: { queueName: 'intruder', policy: 'standard' } },
    { name: 'schedule:create', path: '/schedules/new', form: { name: emailsQueue, cron: '* * * * *', key: 'intruder' } },
    { name: 'schedule:delete', path: `/schedules/${emailsQueue}/nightly`, form: { intent: 'unschedule' } },
  ];

  test('bridge refuses every write and changes nothing', async () => {
    const host = await startBridgeHost(database, boss);
    const before = await snapshotPgBoss();

    for (const write of writes()) {
      const response = await host.request(`/ops/jobs/pg-boss${write.path}`, { form: write.form, headers: { origin: host.origin } });

      assert.equal(response.status, 403, `${write.name} at ${write.path}`);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(response.body, /^Refused by the pg-boss dashboard bridge, which is Inspection only: .* Nothing was changed\./);
    }
    assert.deepEqual(await snapshotPgBoss(), before, 'no pgboss row changed');
    assert.deepEqual(host.events['action:refused'].map((event) => event.action), writes().map((write) => write.name));
    assert.ok(host.events['action:refused'].every((event) => event.actorId === 'user:ops-demo' && event.status === 403));
  });

  test('bridge refuses other methods and hidden writes', async () => {
    const host = await startBridgeHost(database, boss);
    const before = await snapshotPgBoss();

    const attempts: Array<[string, string, Record<string, string>]> = [
      ['PUT', `/queues/${emailsQueue}`, {}],
      ['PATCH', `/queues/${emailsQueue}`, {}],
      ['DELETE', `/queues/${emailsQueue}/jobs/${jobs.completed.id}`, {}],
      ['OPTIONS', '/queues', {}],
      ['GET', `/queues/${emailsQueue}?intent=delete&jobId=${jobs.completed.id}`, {}],
      ['GET', `/queues/${emailsQueue}?_method=POST`, {}],
      ['GET', `/queues/${emailsQueue}`, { 'x-http-method-override': 'POST' }],
      ['GET', '/favicon.ico', {}],
      ['GET', '/build/server/index.js', {}],
    ];
    for (const [method, path, headers] of attempts) {
      const response = await host.request(`/ops/jobs/pg-boss${path}`, { method, headers });
      assert.equal(response.status, 403, `${method} ${path}`);
    }
    assert.deepEqual(await snapshotPgBoss(), before);
  });

  test("dashboard's own read-only mode is on", async () => {
    const host = await startBridgeHost(database, boss);
    await host.request('/ops/jobs/pg-boss/queues');
    const { createDashboardHandler } = loadDashboard();
    const handler = createDashboardHandler({ databases: [{ url: database.url, schema: 'pgboss' }], basePath: '/direct' });
    database.cleanUpAfterTest(() => handler.close());

    const response = await handler(new Request(`http://127.0.0.1/direct/queues/${emailsQueue}/jobs/${jobs.failed.id}`, { method: 'POST', body: new URLSearchParams({ intent: 'retry' }) }));

    assert.equal(process.env.PGBOSS_DASHBOARD_READ_ONLY, '1');
    assert.equal(response.status, 403, 'a write that got past the bridge would still meet the read-only mode');
    assert.match(await response.text(), /read-only/);
  });
});

describe('bridge job page', () => {
  test('bridge answers the job page itself', async () => {
    const host = await startBridgeHost(database, boss);

    const page = await host.request(`/ops/jobs/pg-boss/queues/${emailsQueue}/jobs/${jobs.failed.id}`);

    assert.equal(page.status, 409);
    assert.match(page.body, /schema version 42/);
    assert.match(page.body, /data-ownership="pg-boss dashboard bridge"/);
    assert.ok(listUrls(page.body).includes(`/ops/jobs/jobs/${emailsQueue}/${jobs.failed.id}`), 'it links the native job page');
    assert.ok(listUrls(page.body).includes(`/ops/jobs/pg-boss/queues/${emailsQueue}?state=all`), 'it links the bridge queue page');
  });

  test('bridge reloads a job page navigation', async () => {
    const host = await startBridgeHost(database, boss);

    const data = await host.request(`/ops/jobs/pg-boss/queues/${emailsQueue}/jobs/${jobs.failed.id}.data`);

    assert.equal(data.status, 204);
    assert.equal(data.headers.get('x-remix-redirect'), `/queues/${emailsQueue}/jobs/${jobs.failed.id}`, 'a path below the base, which React Router prefixes');
    assert.equal(data.headers.get('x-remix-reload-document'), 'true');
  });

  test("dashboard's job page still fails on schema 46", async () => {
    // The bridge renders its own notice for the job page because the dashboard cannot open it.
    // When this test fails, a dashboard release opens jobs again and the bridge can forward the page.
    const { createDashboardHandler } = loadDashboard();
    const handler = createDashboardHandler({ databases: [{ url: database.url, schema: 'pgboss' }], basePath: '/direct' });
    database.cleanUpAfterTest(() => handler.close());
    const quiet = console.error;
    console.error = () => {};
    try {
      const response = await handler(new Request(`http://127.0.0.1/direct/queues/${emailsQueue}/jobs/${jobs.failed.id}`));
      assert.equal(response.status, 500);
    } finally {
      console.error = quiet;
    }
  });
});

describe('bridge access', () => {
  test('bridge sends anonymous visitors to deniedRedirect', async () => {
    const host = await startBridgeHost(database, boss);

    const page = await host.request('/ops/jobs/pg-boss/queues', { user: null });
    const data = await host.request('/ops/jobs/pg-boss/queues.data', { user: null });
    const write = await host.request('/ops/jobs/pg-boss/send', { user: null, form: { queueName: emailsQueue } });

    assert.equal(page.status, 302);
    assert.equal(page.headers.get('location'), '/login');
    assert.equal(data.status, 204);
    assert.equal(data.headers.get('x-remix-redirect'), `${host.origin}/login`, 'outside the dashboard, an absolute URL');
    assert.equal(write.status, 302);
  });

  test('bridge sends actors without the grant to the overview', async () => {
    const host = await startBridgeHost(database, boss);

    for (const user of [testUsers.viewer, testUsers.nobody]) {
      const response = await host.request('/ops/jobs/pg-boss/queues', { user });
      assert.equal(response.status, 302, user.username);
      assert.equal(response.headers.get('location'), '/ops/jobs/');
    }
    const native = await host.request('/ops/jobs/jobs', { user: testUsers.viewer });
    assert.equal(native.status, 200, 'the viewer still reads the native jobs page');
    assert.deepEqual(
      host.events['action:refused'].map((event) => [event.action, event.actorId, event.status]),
      [['view_pg_boss_bridge', 'user:read-only', 302], ['view_pg_boss_bridge', 'user:no-access', 302]],
    );
  });
});

describe('bridge mount', () => {
  test('bridge works under a deeper prefix', async () => {
    const host = await startBridgeHost(database, boss, { prefix: '/tenants/acme/ops/jobs' });

    const page = await host.request(`/tenants/acme/ops/jobs/pg-boss/queues/${emailsQueue}`);

    assert.equal(page.status, 200);
    const urls = listUrls(page.body).filter((url) => url.startsWith('/'));
    assert.ok(urls.length > 5);
    for (const url of urls) assert.ok(url.startsWith('/tenants/acme/ops/jobs/'), `${url} stays below the mount`);
    const asset = urls.find((url) => url.includes('/pg-boss/assets/') && url.endsWith('.js'))!;
    assert.equal((await host.request(asset)).status, 200);
    assert.match(page.body, /<a href="\/tenants\/acme\/ops\/jobs\/">Back to the native control plane<\/a>/);
  });

  test('bridge works when the mount strips its prefix', async () => {
    const host = await startBridgeHost(database, boss, { prefix: '/admin/jobs', mount: 'stripped' });

    const page = await host.request('/admin/jobs/pg-boss/queues');

    assert.equal(page.status, 200);
    assert.ok(listUrls(page.body).some((url) => url.startsWith('/admin/jobs/pg-boss/assets/')), 'assets keep the stripped prefix');
    assert.equal((await host.request('/admin/jobs/assets/bridge-banner.css')).status, 200);
  });

  test('bridge honours X-Forwarded-Prefix from a trusted proxy', async () => {
    const trusting = await startBridgeHost(database, boss, { proxy: true });
    const untrusting = await startBridgeHost(database, boss, { proxy: false });
    const headers = { 'x-forwarded-prefix': '/edge/tools' };

    const proxied = await trusting.request('/ops/jobs/pg-boss/queues', { headers });
    const direct = await untrusting.request('/ops/jobs/pg-boss/queues', { headers });
    const hostile = await trusting.request('/ops/jobs/pg-boss/queues', { headers: { 'x-forwarded-prefix': '/edge/../"><script>' } });

    assert.ok(listUrls(proxied.body).some((url) => url.startsWith('/edge/tools/ops/jobs/pg-boss/assets/')), 'a trusted proxy prefix reaches the asset URLs');
    assert.ok(listUrls(direct.body).every((url) => !url.startsWith('/edge/')), 'an untrusted header is ignored');
    assert.ok(listUrls(hostile.body).every((url) => !url.includes('..') && !url.includes('<')), 'an unsafe prefix is ignored');
    const viewer = await trusting.request('/ops/jobs/pg-boss/queues', { headers, user: testUsers.viewer });
    assert.equal(viewer.headers.get('location'), '/edge/tools/ops/jobs/', 'the overview redirect carries the prefix');
  });

  test('bridge closes and reopens with the runtime', async () => {
    const host = await startBridgeHost(database, boss);
    assert.equal((await host.request('/ops/jobs/pg-boss/queues')).status, 200);

    await host.powertools.runtime.stop();

    assert.equal((await host.request('/ops/jobs/pg-boss/queues')).status, 200, 'a request after stop() opens a new handler');
  });
});

describe('bridge content security policy', () => {
  test('bridge adds hashes of the page to the host policy', async () => {
    const host = await startBridgeHost(database, boss, { contentSecurityPolicy: referenceHostPolicy });

    const page = await host.request(`/ops/jobs/pg-boss/queues/${emailsQueue}`);

    const policy = page.headers.get('content-security-policy') ?? '';
    const hashes = hashInlineCode(page.body);
    assert.ok(hashes.scripts.length >= 2, 'the page has inline scripts');
    for (const hash of hashes.scripts) assert.ok(policy.match(/script-src ([^;]*)/)?.[1].includes(hash), `script ${hash} is allowed`);
    for (const hash of hashes.styleAttributes) assert.ok(policy.match(/style-src-attr ([^;]*)/)?.[1].includes(hash), `style ${hash} is allowed`);
    assert.match(policy, /frame-ancestors 'none'; form-action 'self'; base-uri 'none'/, 'the host directives stay');
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);

    const native = await host.request('/ops/jobs/jobs');
    assert.equal(native.headers.get('content-security-policy'), referenceHostPolicy, 'native pages keep the host policy');
  });

  test('bridge leaves the policy when told to', async () => {
    const host = await startBridgeHost(database, boss, { contentSecurityPolicy: referenceHostPolicy, bridge: { enabled: true, extendContentSecurityPolicy: false } });

    const page = await host.request(`/ops/jobs/pg-boss/queues/${emailsQueue}`);

    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), referenceHostPolicy);
  });
});

describe('bridge links', () => {
  test('native job pages link the bridge', async () => {
    const host = await startBridgeHost(database, boss);

    const list = await host.request('/ops/jobs/jobs');
    const queueList = await host.request(`/ops/jobs/jobs?queue=${emailsQueue}`);
    const detail = await host.request(`/ops/jobs/jobs/${emailsQueue}/${jobs.failed.id}`);

    assert.ok(listUrls(list.body).includes('./pg-boss/jobs'), 'the list links all jobs in the bridge');
    assert.ok(listUrls(queueList.body).includes(`./pg-boss/queues/${emailsQueue}?state=all`), 'a queue selection links its queue');
    assert.ok(listUrls(detail.body).includes(`../../pg-boss/queues/${emailsQueue}?state=failed`), 'a job links the jobs of its state in its queue');
    const target = await host.request(new URL(`../../pg-boss/queues/${emailsQueue}?state=failed`, `${host.origin}/ops/jobs/jobs/${emailsQueue}/${jobs.failed.id}`).href);
    assert.equal(target.status, 200);
    assert.ok(target.body.includes(jobs.failed.id), 'the linked bridge page lists the job');
  });

  test('disabled bridge has no route and no link', async () => {
    const host = await startBridgeHost(database, boss, { bridge: false });

    for (const path of ['/ops/jobs/pg-boss', '/ops/jobs/pg-boss/', '/ops/jobs/pg-boss/queues', '/ops/jobs/pg-boss.data', '/ops/jobs/assets/bridge-banner.css']) {
      assert.equal((await host.request(path)).status, 404, path);
    }
    assert.equal((await host.request('/ops/jobs/pg-boss/send', { form: { queueName: emailsQueue } })).status, 404);
    for (const page of ['/ops/jobs/jobs', `/ops/jobs/jobs?queue=${emailsQueue}`, `/ops/jobs/jobs/${emailsQueue}/${jobs.failed.id}`]) {
      const response = await host.request(page);
      assert.equal(response.status, 200, page);
      assert.doesNotMatch(response.body, /pg-boss\//, `${page} does not link the bridge`);
    }
  });
});
