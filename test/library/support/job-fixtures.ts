import type { AddressInfo } from 'node:net';

import Router from '@koa/router';
import Koa from 'koa';
import { PgBoss } from 'pg-boss';

import { type AuthModule, createPowertools, type DisplayPolicy, type JobState, type PowertoolsEventMap, type Powertools } from '../../../library';
import type { Queryable } from '../../../library/db/with-transaction';
import { pgBossSchema } from '../../../library/pgboss/pg-boss-schema';
import type { TestDatabaseHandle } from '../../support/use-test-database';
import { makeHeaderAuth, type TestUser, testUserHeader, testUsers } from './test-roles';

/** The queue operators act on in these tests. */
export const ordersQueue = 'orders';
/** A bystander queue no test acts on; every test checks its jobs are exactly as they were. */
export const invoicesQueue = 'invoices';

const jobActionNames = ['retry_job', 'cancel_job', 'resume_job', 'delete_job', 'retry_all_jobs', 'cancel_all_jobs'];
const viewActionNames = ['view_overview', 'view_cron', 'view_audit', 'view_forensics', 'view_jobs'];
const allowedActions: Record<TestUser['role'], readonly string[]> = {
  operator: [...viewActionNames, ...jobActionNames],
  viewer: viewActionNames,
  none: [],
};

/** The test host's auth seam for the jobs surface: the `x-test-user` header names the actor. */
export const jobHeaderAuth: AuthModule = makeHeaderAuth(allowedActions);

/** Starts pg-boss on the test database, which creates its schema, and stops it after the test. */
export async function startBoss(database: TestDatabaseHandle): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: database.url, schedule: false, supervise: false, max: 3 });
  boss.on('error', (error) => process.stderr.write(`pg-boss error in test: ${String(error)}\n`));
  await boss.start();
  database.cleanUpAfterTest(() => boss.stop({ graceful: false }));
  return boss;
}

/** Creates the queues of every jobs test; `retryLimit: 0` makes a failure final unless a job sets its own limit. */
export async function createTestQueues(boss: PgBoss, queues: string[] = [ordersQueue, invoicesQueue]): Promise<void> {
  for (const queue of queues) await boss.createQueue(queue, { retryLimit: 0 });
}

export interface SeededJob {
  id: string;
  queue: string;
  state: JobState;
}

/**
 * Puts one job into `state` through pg-boss's own API, as workers would: send, then fetch,
 * complete, fail or cancel. A fetch takes the oldest due job, so a job that has to be fetched
 * is sent while it is the only due job of its queue. Retry jobs wait an hour before they are
 * due again, so later fetches pass over them.
 */
export async function seedJob(boss: PgBoss, queue: string, state: JobState, data: object = {}): Promise<SeededJob> {
  const retrying = state === 'retry';
  const id = await boss.send(queue, data, retrying ? { retryLimit: 1, retryDelay: 3600 } : {});
  if (!id) throw new Error(`pg-boss did not create a job in ${queue}`);

  if (state === 'cancelled') await boss.cancel(queue, id);
  if (state === 'active' || state === 'completed' || state === 'failed' || retrying) {
    const [fetched] = await boss.fetch(queue);
    if (fetched?.id !== id) throw new Error(`fetch in ${queue} took job ${fetched?.id}, not the job just sent; seed fetched states before created ones`);
    if (state === 'completed') await boss.complete(queue, id, { delivered: true });
    if (state === 'failed' || retrying) await boss.fail(queue, id, { message: `attempt failed for ${queue}` });
  }
  return { id, queue, state };
}

/**
 * Seeds jobs in the given states in an order that lets each fetch take the intended job:
 * fetched states first, then created and cancelled ones.
 */
export async function seedJobs(boss: PgBoss, queue: string, states: JobState[], dataOf: (index: number) => object = () => ({})): Promise<SeededJob[]> {
  const fetchedFirst = states.map((state, index) => ({ state, index })).sort((a, b) => rankForSeeding(a.state) - rankForSeeding(b.state));
  const seeded: SeededJob[] = new Array(states.length);
  for (const { state, index } of fetchedFirst) seeded[index] = await seedJob(boss, queue, state, dataOf(index));
  return seeded;
}

function rankForSeeding(state: JobState): number {
  return state === 'created' || state === 'cancelled' ? 1 : 0;
}

/** Inserts `count` created jobs in one pg-boss insert per 1,000, so each batch shares one `created_on`. */
export async function insertCreatedJobs(boss: PgBoss, queue: string, count: number, dataOf: (index: number) => object = (index) => ({ index })): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, offset) => ({ data: dataOf(start + offset) }));
    const inserted = await boss.insert(queue, batch, { returnId: true });
    if (!inserted || inserted.length !== batch.length) throw new Error(`pg-boss inserted ${inserted?.length ?? 0} of ${batch.length} jobs into ${queue}`);
    ids.push(...inserted);
  }
  return ids;
}

/** Reads every column of every job in `queue`, ordered by id, to prove a bystander queue was not touched. */
export async function snapshotQueueJobs(db: Queryable, queue: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await db.query(`select * from ${pgBossSchema}.job where name = $1::text order by id`, [queue]);
  return rows;
}

/** Reads one job's state, retry count and limit; null when it no longer exists. */
export async function readJobState(db: Queryable, queue: string, id: string): Promise<{ state: JobState; retry_count: number; retry_limit: number } | null> {
  const { rows } = await db.query<{ state: JobState; retry_count: number; retry_limit: number }>(
    `select state::text as state, retry_count, retry_limit from ${pgBossSchema}.job where name = $1::text and id = $2::uuid`,
    [queue, id],
  );
  return rows[0] ?? null;
}

export interface PageResponse {
  status: number;
  /** The Location header resolved against the request URL, as a browser would. */
  location: URL | null;
  body: string;
}

export interface JobHttpHost {
  origin: string;
  /** The mount with its trailing slash, e.g. http://127.0.0.1:1234/ops/jobs/ */
  mountUrl: URL;
  boss: PgBoss;
  powertools: Powertools;
  /** GETs `path` resolved against the mount URL, like a relative link, as `user`. */
  get(path: string, user?: TestUser): Promise<PageResponse>;
  /** POSTs a form to `path` from the control plane's own origin, as `user`. */
  post(path: string, form: Record<string, string>, user?: TestUser, headers?: Record<string, string>): Promise<PageResponse>;
  events: RecordedEvents;
}

type RecordedEventName = 'action:performed' | 'action:refused' | 'display:failed' | 'request:failed';
/** The events a test host records, in the order the library emitted them. */
type RecordedEvents = { [Name in RecordedEventName]: Array<PowertoolsEventMap[Name][0]> };

/**
 * Starts a Koa host that mounts the control plane at /ops/jobs inside its own router scope,
 * with pg-boss started on the test database, listening on a free loopback port.
 */
export async function startJobHttpHost(database: TestDatabaseHandle, options: { boss?: PgBoss; displayPolicy?: DisplayPolicy } = {}): Promise<JobHttpHost> {
  const boss = options.boss ?? (await startBoss(database));
  const powertools = createPowertools({ repo: database.pool, auth: jobHeaderAuth, displayPolicy: options.displayPolicy ?? { display: () => null }, boss });
  const events: RecordedEvents = { 'action:performed': [], 'action:refused': [], 'display:failed': [], 'request:failed': [] };
  powertools.events.on('action:performed', (event) => events['action:performed'].push(event));
  powertools.events.on('action:refused', (event) => events['action:refused'].push(event));
  powertools.events.on('display:failed', (event) => events['display:failed'].push(event));
  powertools.events.on('request:failed', (event) => events['request:failed'].push(event));

  const app = new Koa();
  const scope = new Router({ prefix: '/ops/jobs' });
  scope.use(powertools.router.routes(), powertools.router.allowedMethods());
  app.use(scope.routes()).use(scope.allowedMethods());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  database.cleanUpAfterTest(() => new Promise((resolve) => server.close(resolve)));

  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mountUrl = new URL('/ops/jobs/', origin);
  async function send(path: string, init: { method: 'GET' | 'POST'; user?: TestUser; form?: Record<string, string>; headers?: Record<string, string> }): Promise<PageResponse> {
    const url = new URL(path, mountUrl);
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    if (init.user) headers[testUserHeader] = init.user.username;
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: init.method, headers, body: init.form ? new URLSearchParams(init.form) : undefined, redirect: 'manual' });
    const location = response.headers.get('location');
    return { status: response.status, location: location === null ? null : new URL(location, url), body: await response.text() };
  }

  return {
    origin,
    mountUrl,
    boss,
    powertools,
    get: (path, user = testUsers.operator) => send(path, { method: 'GET', user }),
    post: (path, form, user = testUsers.operator, headers = {}) => send(path, { method: 'POST', user, form, headers: { origin, ...headers } }),
    events,
  };
}

/** Reads the one-time preview id from a preview page. */
export function readPreviewId(body: string): string {
  const match = /name="preview" value="([0-9a-f-]{36})"/.exec(body);
  if (!match) throw new Error(`the page carries no preview id:\n${body.slice(0, 2000)}`);
  return match[1];
}

/** Lists the job ids a jobs list page shows, in page order. */
export function readListedJobIds(body: string): string[] {
  return [...body.matchAll(/href="[^"]*jobs\/[^"/]+\/([0-9a-f-]{36})"/g)].map((match) => match[1]);
}

/** Reads the "Older jobs" link of a list page, with `&amp;` decoded; null on the last page. */
export function readOlderLink(body: string): string | null {
  const match = /<a href="([^"]*)">Older jobs<\/a>/.exec(body);
  return match ? match[1].replaceAll('&amp;', '&') : null;
}
