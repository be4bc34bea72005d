import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';

import type { Browser, Page } from 'playwright';
import pino from 'pino';

import { launchChromium } from '../../step-definitions/support/browser';
import { type HostRun, runHostScript, startHostProcess } from '../../step-definitions/support/host-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const hostDirectory = path.resolve(__dirname, '..', '..', 'reference-host');
const logger = pino({ level: 'silent' });
const demoPassword = randomBytes(12).toString('hex');
let database: TestDatabase;
let host: HostRun;
let browser: Browser;
let allPassed = true;

before(async () => {
  database = await createTestDatabase(__filename);
  const env = { DATABASE_URL: database.url, REFERENCE_HOST_DEMO_PASSWORD: demoPassword };
  for (const script of ['migrate.ts', 'seed.ts']) {
    const result = await runHostScript({ hostDirectory, entry: script, env, logger });
    assert.equal(result.exitCode, 0, `${script} failed: ${result.output.slice(-3).join(' | ')}`);
  }
  host = await startHostProcess({ hostDirectory, entry: 'server.ts', env: { ...env, PORT: '0' }, logger });
  assert.ok(host.baseUrl, `the reference host did not start: ${host.output.slice(-3).join(' | ')}`);
  browser = await launchChromium({ logger });
});
afterEach((t) => {
  // Hooks are typed for suites too, but afterEach only ever receives a TestContext.
  if ('passed' in t && !t.passed) allPassed = false;
});
after(async () => {
  await browser?.close();
  await host?.stop();
  await database.finish(allPassed);
});

async function signIn(username: string): Promise<Page> {
  const page = await browser.newPage({ baseURL: host.baseUrl! });
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

/** The requests a browser sends when another site's page posts a form to the host. */
const crossSiteHeaders: Array<Record<string, string>> = [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];

/** Posts a form to the running host as a browser would, without following the redirect. */
function postForm(pathname: string, form: Record<string, string>, headers: Record<string, string>): Promise<Response> {
  return fetch(`${host.baseUrl}${pathname}`, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(form) });
}

/** Signs in from the host's own login page and returns the session's Cookie header. */
async function signInWithForm(username: string): Promise<string> {
  const response = await postForm('/login', { username, password: demoPassword }, { origin: host.baseUrl! });
  assert.equal(response.status, 302, 'a same-origin sign-in succeeds');

  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  assert.ok(cookies.some((cookie) => cookie.startsWith('host.sess=')), `no session cookie in ${JSON.stringify(cookies)}`);
  return cookies.join('; ');
}

async function readSignedInName(cookie: string): Promise<string | null> {
  const body = await (await fetch(`${host.baseUrl}/`, { headers: { cookie } })).text();
  return /Signed in as ([^.<]+)\./.exec(body)?.[1] ?? null;
}

test('reference host rejects cross-site login', async () => {
  for (const headers of crossSiteHeaders) {
    const response = await postForm('/login', { username: 'ops-demo', password: demoPassword }, headers);

    assert.equal(response.status, 403, `headers ${JSON.stringify(headers)}`);
    assert.match(await response.text(), /Cross-site request rejected: sign in and sign out from this site's own pages\. Nothing was changed\./);
    assert.deepEqual(response.headers.getSetCookie(), [], 'no session was started');
  }
});

test('reference host rejects cross-site logout', async () => {
  const cookie = await signInWithForm('ops-demo');

  for (const headers of crossSiteHeaders) {
    const response = await postForm('/logout', {}, { ...headers, cookie });

    assert.equal(response.status, 403, `headers ${JSON.stringify(headers)}`);
    assert.match(await response.text(), /Cross-site request rejected/);
    assert.deepEqual(response.headers.getSetCookie(), [], 'the session cookie was not cleared');
  }
  assert.equal(await readSignedInName(cookie), 'ops-demo', 'the session survived every cross-site attempt');

  const sameOrigin = await postForm('/logout', {}, { origin: host.baseUrl!, cookie });
  assert.equal(sameOrigin.status, 302, 'a same-origin sign-out still works');
  assert.ok(sameOrigin.headers.getSetCookie().some((value) => value.startsWith('host.sess=;')), 'the same-origin sign-out clears the session cookie');
});

test('reference host seeds nightly_sync and the demo jobs', async () => {
  const entries = await database.pool.query(`select name, queue, paused_at from jobs_powertools.cron_entries order by name`);
  const jobs = await database.pool.query(`select state::text, count(*)::int as count from pgboss.job where name = 'emails' group by 1 order by 1`);

  assert.deepEqual(entries.rows.map((row) => row.name), ['hourly_digest', 'nightly_sync']);
  assert.equal(entries.rows[1].paused_at, null);
  assert.deepEqual(jobs.rows.map((row) => row.state), ['active', 'cancelled', 'completed', 'created', 'failed']);
});

test('reference host seeds workflows in every state', async () => {
  const { rows } = await database.pool.query<{ state: string }>(`select distinct state from jobs_powertools.workflows order by state`);
  const { rows: stepStates } = await database.pool.query<{ state: string }>(`select distinct state from jobs_powertools.workflow_steps order by state`);

  assert.deepEqual(rows.map((row) => row.state), ['blocked', 'cancelled', 'cancelling', 'completed', 'executing', 'recovered', 'retrying', 'runnable']);
  assert.deepEqual(stepStates.map((row) => row.state), ['blocked', 'cancelled', 'cancelling', 'completed', 'executing', 'recovered', 'retrying', 'runnable', 'waiting']);
});

test('reference host redirects anonymous visitors to login', async () => {
  const response = await fetch(`${host.baseUrl}/ops/jobs/`, { redirect: 'manual' });

  assert.equal(response.status, 302);
  assert.equal(response.headers.get('location'), '/login');
});

test('reference host sends no-access users home', async () => {
  const page = await signIn('no-access');

  await page.goto('/ops/jobs/cron');

  assert.equal(new URL(page.url()).pathname, '/');
  await page.close();
});

test('reference host lets ops-demo pause nightly_sync', async () => {
  const page = await signIn('ops-demo');

  await page.goto('/ops/jobs/cron/nightly_sync');
  await page.getByRole('link', { name: 'Pause nightly_sync' }).click();
  await page.getByLabel(/^Reason/).fill('Reference host smoke test');
  await page.getByRole('button', { name: 'Confirm: Pause nightly_sync' }).click();

  assert.equal(await page.getByTestId('cron-state').textContent(), 'paused');
  // The seed's workflow actions are audited too; this test is about the cron entry.
  const events = await database.pool.query(`select action, actor_label, reason from jobs_powertools.audit_events where resource_type = 'cron_entry'`);
  assert.deepEqual(events.rows, [{ action: 'pause_cron_entry', actor_label: 'ops-demo', reason: 'Reference host smoke test' }]);
  await page.close();
});

test('reference host shows the viewer read-only pages', async () => {
  const page = await signIn('ops-viewer');

  await page.goto('/ops/jobs/cron/hourly_digest');

  assert.match((await page.getByRole('note').textContent()) ?? '', /Read-only/);
  assert.equal(await page.getByRole('link', { name: 'Pause hourly_digest' }).count(), 0);
  await page.close();
});
