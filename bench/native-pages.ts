import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import Router from '@koa/router';
import { createDashboardHandler } from '@pg-boss/dashboard/handler';
import Koa from 'koa';
import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';
import pino from 'pino';

import { type AuthModule, createPowertools, runMigrations } from '../library';
import { startPostgres } from '../step-definitions/support/postgres-provider';
import { benchQueues, benchStateShares, seedBenchJobs, verifyPgBossReadsSeed } from './native-pages-seed';

/**
 * Seeds pg-boss with a million jobs and measures, side by side in one run, the latency of the
 * native control plane's pages and of @pg-boss/dashboard's equivalent pages on the same
 * database: overview, first jobs page, a filtered page, a deep page and a job detail. Requests
 * alternate between the two servers, one at a time, after a warm-up. Writes the table to
 * bench/results/native-pages.md and prints it.
 *
 * Usage: node -r ts-node/register/transpile-only bench/native-pages.ts [--jobs 1000000] [--requests 30] [--warmup 5] [--depth 200000]
 * Postgres is the harness's embedded server unless KJP_POSTGRES_PROVIDER or DATABASE_URL selects another.
 */

const repositoryRoot = path.resolve(__dirname, '..');
const options = readOptions(process.argv.slice(2));
const logger = pino({ name: 'bench-native-pages', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));

interface PageCase {
  page: string;
  native: string;
  dashboard: string;
  /** Text the native page must contain, so a fast error page never counts as a result. */
  nativeExpects: RegExp;
  dashboardExpects: RegExp;
}

interface Measured {
  page: string;
  native: number[];
  /** The dashboard's timings, or why it could not serve the page. */
  dashboard: number[] | { failure: string };
}

async function main(): Promise<void> {
  const env = { ...process.env, KJP_POSTGRES_PROVIDER: process.env.KJP_POSTGRES_PROVIDER ?? (process.env.DATABASE_URL ? 'database-url' : 'embedded') };
  const postgres = await startPostgres({ logger, env });
  const closers: Array<() => Promise<unknown>> = [() => postgres.stop()];
  try {
    const url = await postgres.createDatabase('bench_native_pages');
    const pool = new Pool({ connectionString: url, max: 10 });
    closers.unshift(() => pool.end());
    const boss = new PgBoss({ connectionString: url, schedule: false, supervise: false, max: 4 });
    boss.on('error', (error) => logger.error({ err: error }, 'pg-boss reported an error'));
    await boss.start();
    closers.unshift(() => boss.stop({ graceful: false }));
    await runMigrations(pool);

    const seedSeconds = await seedBenchJobs(pool, boss, options.jobs, (message) => logger.info(message));
    const vacuumStarted = performance.now();
    // Autovacuum would do this in production; here it sets the visibility map and statistics at once.
    await pool.query('vacuum (analyze) pgboss.job');
    const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
    const readCheck = await verifyPgBossReadsSeed(pool, boss);
    const dataset = await describeDataset(pool);
    logger.info({ seedSeconds, vacuumSeconds, ...dataset }, 'dataset ready');

    const native = await startNativeHost(pool, boss);
    closers.unshift(native.close);
    const dashboard = await startDashboard(url);
    closers.unshift(dashboard.close);

    const cases = await makePageCases(pool, native.origin, dashboard.origin);
    // Other work on the machine slows both servers alike; the report states how busy it was.
    const loadBefore = os.loadavg()[0];
    const measured: Measured[] = [];
    for (const pageCase of cases) {
      measured.push(await measurePage(pageCase));
      const last = measured[measured.length - 1];
      logger.info({ page: pageCase.page, native: summarise(last.native), dashboard: Array.isArray(last.dashboard) ? summarise(last.dashboard) : last.dashboard }, 'page measured');
    }

    const load = { before: loadBefore, after: os.loadavg()[0] };
    const report = formatReport({ measured, cases, seedSeconds, vacuumSeconds, readCheck, dataset, load, postgresVersion: postgres.serverVersion, provider: postgres.provider });
    mkdirSync(path.join(repositoryRoot, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(repositoryRoot, 'bench', 'results', 'native-pages.md'), report);
    process.stdout.write(report);
  } finally {
    for (const close of closers) {
      // Every resource is released even when one fails to close; the failure is logged.
      await close().catch((error: unknown) => logger.error({ err: error }, 'closing a benchmark resource failed'));
    }
  }
}

function readOptions(argv: string[]): { jobs: number; requests: number; warmup: number; depth: number } {
  const read = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    if (index === -1) return fallback;
    const value = Number(argv[index + 1]);
    if (!Number.isInteger(value) || value < 1) throw new TypeError(`--${name} must be a positive whole number, got ${JSON.stringify(argv[index + 1])}.`);
    return value;
  };
  return { jobs: read('jobs', 1_000_000), requests: read('requests', 30), warmup: read('warmup', 5), depth: read('depth', 200_000) };
}

// The benchmark operator may use every page; authorisation is not what is measured.
const benchAuth: AuthModule = {
  currentActor: () => ({ id: 'bench-operator' }),
  authorize: () => ({ allowed: true }),
  auditPrincipal: () => ({ id: 'user:bench-operator', type: 'user', label: 'bench-operator' }),
};

async function startNativeHost(pool: Pool, boss: PgBoss): Promise<{ origin: string; close: () => Promise<void> }> {
  const powertools = createPowertools({ repo: pool, auth: benchAuth, displayPolicy: { display: () => null }, boss, logger: logger.child({ component: 'jobs-powertools' }) });
  const app = new Koa();
  const scope = new Router({ prefix: '/ops/jobs' });
  scope.use(powertools.router.routes(), powertools.router.allowedMethods());
  app.use(scope.routes()).use(scope.allowedMethods());
  return listen(http.createServer(app.callback()));
}

/** Mounts @pg-boss/dashboard's fetch handler at /pg-boss in a plain Node server, as its docs describe for hosts. */
async function startDashboard(databaseUrl: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const handler = createDashboardHandler({ databases: [{ url: databaseUrl, name: 'bench', schema: 'pgboss' }], basePath: '/pg-boss' });
  const server = http.createServer((request, response) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    handler(new Request(`http://${request.headers.host}${request.url}`, { method: request.method, headers }))
      .then(async (answer) => {
        response.writeHead(answer.status, Object.fromEntries(answer.headers));
        response.end(Buffer.from(await answer.arrayBuffer()));
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'dashboard handler failed');
        response.writeHead(500).end();
      });
  });
  const listening = await listen(server);
  return { origin: listening.origin, close: async () => { await listening.close(); await handler.close(); } };
}

async function listen(server: http.Server): Promise<{ origin: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Builds the pages compared. The deep page starts `depth` jobs into the newest-first list of all
 * queues: a cursor there for the native list, the page number with the same offset for the
 * dashboard, which pages by offset (20 per page). Targets are read from the seeded data once.
 */
async function makePageCases(pool: Pool, nativeOrigin: string, dashboardOrigin: string): Promise<PageCase[]> {
  const { rows: [deep] } = await pool.query<{ cursor: string }>(
    `select to_char(created_on at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || id::text as cursor
       from pgboss.job order by created_on desc, id desc offset $1::int limit 1`,
    [options.depth - 1],
  );
  const { rows: [failed] } = await pool.query<{ id: string }>(`select id::text as id from pgboss.job where name = 'emails' and state = 'failed' limit 1`);
  const dashboardPage = Math.floor(options.depth / 20) + 1;
  const native = (page: string) => `${nativeOrigin}/ops/jobs/${page}`;
  const dashboard = (page: string) => `${dashboardOrigin}/pg-boss/${page}`;
  const listedJob = /href="[^"]*jobs\/[^"/]+\/[0-9a-f-]{36}"/;

  return [
    { page: 'overview', native: native(''), dashboard: dashboard(''), nativeExpects: /Overview/, dashboardExpects: /<html/ },
    { page: 'first jobs page (all queues, all states)', native: native('jobs'), dashboard: dashboard('jobs?state=all'), nativeExpects: listedJob, dashboardExpects: /<html/ },
    { page: 'filtered page (queue emails, state failed)', native: native('jobs?queue=emails&state=failed'), dashboard: dashboard('jobs?queues=emails&state=failed'), nativeExpects: listedJob, dashboardExpects: /<html/ },
    {
      page: 'data-filtered page (queue emails, tenant=tenant-7; native count on request)',
      native: native('jobs?queue=emails&data_key=tenant&data_value=tenant-7'),
      dashboard: dashboard('jobs?queues=emails&state=all&data.tenant=tenant-7'),
      nativeExpects: listedJob,
      dashboardExpects: /<html/,
    },
    {
      page: 'data-filtered page with count (queue emails, tenant=tenant-7)',
      native: native('jobs?queue=emails&data_key=tenant&data_value=tenant-7&count=1'),
      dashboard: dashboard('jobs?queues=emails&state=all&data.tenant=tenant-7'),
      nativeExpects: /[0-9,]+ matching job/,
      dashboardExpects: /<html/,
    },
    { page: `deep page (${options.depth.toLocaleString('en-US')} jobs in)`, native: native(`jobs?after=${encodeURIComponent(deep.cursor)}`), dashboard: dashboard(`jobs?state=all&page=${dashboardPage}`), nativeExpects: listedJob, dashboardExpects: /<html/ },
    { page: 'job detail (failed emails job)', native: native(`jobs/emails/${failed.id}`), dashboard: dashboard(`queues/emails/jobs/${failed.id}`), nativeExpects: new RegExp(failed.id), dashboardExpects: new RegExp(failed.id) },
  ];
}

/**
 * Warms both servers up, then alternates native and dashboard requests, one at a time. A
 * native page that fails stops the benchmark. A dashboard page that fails is recorded as a
 * failure and not requested again, because timing an error page would flatter it.
 */
async function measurePage(pageCase: PageCase): Promise<Measured> {
  const native: number[] = [];
  let dashboard: Measured['dashboard'] = [];
  for (let index = 0; index < options.warmup + options.requests; index += 1) {
    const nativeTime = await timeRequest(pageCase.native, pageCase.nativeExpects);
    if (typeof nativeTime !== 'number') throw new Error(`the native page failed, and the benchmark only times working pages: ${nativeTime.failure}`);
    if (index >= options.warmup) native.push(nativeTime);
    if (!Array.isArray(dashboard)) continue;

    const dashboardTime = await timeRequest(pageCase.dashboard, pageCase.dashboardExpects);
    if (typeof dashboardTime !== 'number') {
      logger.warn({ page: pageCase.page, failure: dashboardTime.failure }, 'dashboard page failed; it is reported as failed');
      dashboard = dashboardTime;
    } else if (index >= options.warmup) {
      dashboard.push(dashboardTime);
    }
  }
  return { page: pageCase.page, native, dashboard };
}

/** Returns the milliseconds from sending the request to reading the whole body, or why the page failed. */
async function timeRequest(url: string, expects: RegExp): Promise<number | { failure: string }> {
  const started = performance.now();
  const response = await fetch(url, { redirect: 'manual' });
  const body = await response.text();
  const elapsed = performance.now() - started;
  if (response.status === 200 && expects.test(body)) return elapsed;

  const problem = response.status === 200 ? 'answered 200 without the expected content' : `answered ${response.status}`;
  return { failure: `GET ${new URL(url).pathname} ${problem}` };
}

/** Nearest-rank percentile of the samples. */
function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

function summarise(samples: number[]): { median: number; p95: number } {
  return { median: round(percentile(samples, 0.5)), p95: round(percentile(samples, 0.95)) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

interface Dataset {
  jobs: number;
  states: Record<string, number>;
  tableSize: string;
}

async function describeDataset(pool: Pool): Promise<Dataset> {
  const { rows } = await pool.query<{ state: string; count: number }>('select state::text as state, count(*)::int as count from pgboss.job group by state order by state');
  const { rows: [size] } = await pool.query<{ size: string }>(
    `select pg_size_pretty(sum(pg_total_relation_size(inhrelid))) as size from pg_inherits where inhparent = 'pgboss.job'::regclass`,
  );
  const states = Object.fromEntries(rows.map((row) => [row.state, row.count]));
  return { jobs: rows.reduce((sum, row) => sum + row.count, 0), states, tableSize: size.size };
}

function formatReport(run: {
  measured: Measured[];
  cases: PageCase[];
  seedSeconds: number;
  vacuumSeconds: number;
  readCheck: string;
  dataset: Dataset;
  load: { before: number; after: number };
  postgresVersion: string;
  provider: string;
}): string {
  const cpu = os.cpus();
  const rows = run.measured.map((measured) => {
    const native = summarise(measured.native);
    if (!Array.isArray(measured.dashboard)) return `| ${measured.page} | ${native.median} | ${native.p95} | failed | failed | n/a |`;
    const dashboard = summarise(measured.dashboard);
    return `| ${measured.page} | ${native.median} | ${native.p95} | ${dashboard.median} | ${dashboard.p95} | ${(native.p95 / dashboard.p95).toFixed(3)} |`;
  });
  const failures = run.measured.flatMap((measured) => (Array.isArray(measured.dashboard) ? [] : [`- ${measured.page}: the dashboard ${measured.dashboard.failure.replace(/^GET /, 'page ')}.`]));
  const urls = run.cases.map((pageCase) => `- ${pageCase.page}: native \`${new URL(pageCase.native).pathname}${new URL(pageCase.native).search}\`, dashboard \`${new URL(pageCase.dashboard).pathname}${new URL(pageCase.dashboard).search}\``);

  return [
    '# Native jobs pages against @pg-boss/dashboard at scale',
    '',
    `Command: \`node -r ts-node/register/transpile-only bench/native-pages.ts --jobs ${options.jobs} --requests ${options.requests} --warmup ${options.warmup} --depth ${options.depth}\``,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node.js ${process.versions.node}, Postgres ${run.postgresVersion} (${run.provider}, default settings), pg-boss 12.38 (schema 46), @pg-boss/dashboard 1.9.0. One-minute load average ${run.load.before.toFixed(2)} before measuring and ${run.load.after.toFixed(2)} after, on ${cpu.length} cores: other processes shared the machine.`,
    '',
    `Data: ${run.dataset.jobs.toLocaleString('en-US')} jobs in ${benchQueues.length} queues (${benchQueues.map((queue) => `${queue.name} ${queue.percent}%${queue.partition ? ', own partition' : ''}`).join(', ')}); states ${Object.entries(run.dataset.states).map(([state, count]) => `${state} ${count.toLocaleString('en-US')}`).join(', ')} (target shares ${Object.entries(benchStateShares).map(([state, percent]) => `${state} ${percent}%`).join(', ')}); job tables and indexes ${run.dataset.tableSize}. Inserted with SQL in batches of 100,000 in ${run.seedSeconds.toFixed(0)} s, then \`vacuum (analyze)\` in ${run.vacuumSeconds.toFixed(0)} s. pg-boss read check: ${run.readCheck}.`,
    '',
    `Runs: per page ${run.measured[0]?.native.length ?? 0} requests to each server after ${options.warmup} warm-up requests each, alternating native and dashboard, one request at a time over loopback HTTP; time is from sending the request to reading the whole body. p95 is the nearest-rank 95th percentile. Both servers run in the benchmark's own Node.js process with a pool of 10 connections each.`,
    '',
    '| page | native median ms | native p95 ms | dashboard median ms | dashboard p95 ms | p95 native/dashboard |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    ...(failures.length > 0 ? ['Dashboard pages that failed, so nothing was timed:', ...failures, ''] : []),
    'Notes:',
    '- The native data-filtered page does not count by default, because no pg-boss index covers job data and a count reads every job of the selected queues; the row with `count=1` is the page with its count. The dashboard always counts a data-filtered page.',
    '- @pg-boss/dashboard 1.9.0 loads a job detail through the pg-boss it bundles (12.33.2, schema 42), whose start() rejects a database at another schema version with "pg-boss database requires migrations"; against pg-boss 12.38 (schema 46) the page answers 500. Its list pages query the tables directly and work.',
    '- The overview is another part of the control plane; it is requested at the mount root as it is at the time of the run.',
    '',
    'Pages requested:',
    ...urls,
    '',
  ].join('\n');
}

main().catch((error) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
