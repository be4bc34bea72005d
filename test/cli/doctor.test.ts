import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';

import { PgBoss } from 'pg-boss';

import { createPowertools, runMigrations } from '../../library';
import { runDoctor } from '../../library/cli/doctor';
import { runInstall } from '../../library/cli/install';
import { recordSchedulerHeartbeat } from '../../library/sql/record-scheduler-heartbeat';
import { headerAuth, libraryDefaultDisplay } from '../library/support/test-roles';
import { useTestDatabase } from '../support/use-test-database';
import { collectOutput, makeTemplateHost, readTemplateApp } from './support/cli-fixtures';

const database = useTestDatabase(__filename);

/** The template after `jobs-powertools install`: an app file with all three seams and the mount. */
function makeInstalledHost(): string {
  const host = makeTemplateHost();
  runInstall({ directory: host, mountPath: '/ops/jobs', dryRun: false }, collectOutput().output);
  return host;
}

async function doctor(host: string, options: { url?: string; databaseUrl?: string | null; json?: boolean } = {}) {
  const collected = collectOutput();
  const databaseUrl = options.databaseUrl === null ? undefined : (options.databaseUrl ?? database.url);
  const { exitCode, report } = await runDoctor({ directory: host, mountPath: '/ops/jobs', url: options.url, json: options.json ?? false, databaseUrl }, collected.output);
  const byId = Object.fromEntries(report.checks.map((check) => [check.id, check]));
  return { exitCode, report, byId, stdout: collected.stdout() };
}

/** Migrates the library and lets pg-boss create its schema, as a started host would. */
async function prepareDatabase(): Promise<void> {
  await database.resetSchemas();
  await runMigrations(database.pool);
  const boss = new PgBoss({ connectionString: database.url, supervise: false, schedule: false, max: 2 });
  await boss.start();
  await boss.stop({ graceful: false });
}

async function startResponder(status: number, location?: string): Promise<string> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(status, location ? { Location: location } : {});
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  database.cleanUpAfterTest(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The check ids in the order the doctor reports them. Every report has each one exactly once. */
const reportedCheckIds = ['seam:repo', 'seam:auth', 'seam:displayPolicy', 'mount', 'database', 'migrations', 'pg-boss-schema', 'scheduler', 'bridge', 'mount-reachable'];

/**
 * Creates a login role that may read only what `grants` allow, removed after the test, and
 * returns this database's URL for it. `<role>` in a grant is replaced by the role's name.
 */
async function makeRestrictedRoleUrl(grants: string[]): Promise<string> {
  const role = `doctor_reader_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await database.pool.query(`create role ${role} login password '${password}'`);
  database.cleanUpAfterTest(async () => {
    await database.pool.query(`drop owned by ${role}`);
    await database.pool.query(`drop role ${role}`);
  });
  for (const grant of grants) await database.pool.query(grant.replaceAll('<role>', role));

  const url = new URL(database.url);
  url.username = role;
  url.password = password;
  return url.href;
}

/** Adds `bridge: { enabled: true }` to an installed host's createPowertools call. */
function enableBridge(host: string): void {
  const appFile = path.join(host, 'app.ts');
  writeFileSync(appFile, readFileSync(appFile, 'utf8').replace('cronEntries: jobsCronEntries,', 'cronEntries: jobsCronEntries,\n    bridge: { enabled: true },'));
}

/** Writes a stand-in @pg-boss/dashboard package.json of `version` into the host's node_modules. */
function installDashboardManifest(host: string, version: string): void {
  const packageDirectory = path.join(host, 'node_modules', '@pg-boss', 'dashboard');
  mkdirSync(packageDirectory, { recursive: true });
  writeFileSync(path.join(packageDirectory, 'package.json'), JSON.stringify({ name: '@pg-boss/dashboard', version }));
}

/** A loopback URL on a port that was free a moment ago, where nothing listens. */
async function findClosedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

test('doctor.installed host passes with a running scheduler', async () => {
  await prepareDatabase();
  const host = makeInstalledHost();
  await recordSchedulerHeartbeat(database.pool, { instanceId: '00000000-0000-4000-8000-000000000001', hostname: 'web-1', pid: 4242, intervalSeconds: 5 });
  const url = await startResponder(302, '/login');

  const { exitCode, report, stdout } = await doctor(host, { url });

  assert.equal(exitCode, 0);
  assert.deepEqual(report.checks.map((check) => [check.id, check.status]), [
    ['seam:repo', 'pass'], ['seam:auth', 'pass'], ['seam:displayPolicy', 'pass'], ['mount', 'pass'],
    ['database', 'pass'], ['migrations', 'pass'], ['pg-boss-schema', 'pass'], ['scheduler', 'pass'],
    ['bridge', 'skip'], ['mount-reachable', 'pass'],
  ]);
  assert.match(stdout, /^PASS  scheduler: 1 running; newest heartbeat \d+\.\d s ago from web-1 pid 4242$/m);
  assert.match(stdout, /^9 passed, 0 failed, 1 skipped$/m);
});

test('doctor.each missing seam fails naming it', async () => {
  await prepareDatabase();
  for (const seam of ['repo', 'auth', 'displayPolicy']) {
    const host = makeInstalledHost();
    const appFile = path.join(host, 'app.ts');
    const app = readFileSync(appFile, 'utf8');
    writeFileSync(appFile, app.replace(new RegExp(`\\n\\s+${seam}: [^\\n]+,`), ''));

    const { exitCode, report, byId } = await doctor(host);

    assert.equal(exitCode, 1, seam);
    assert.equal(byId[`seam:${seam}`].status, 'fail', seam);
    assert.match(byId[`seam:${seam}`].detail, new RegExp(`has no ${seam} option; createPowertools throws at start`));
    assert.match(byId[`seam:${seam}`].fix ?? '', new RegExp(seam));
    assert.deepEqual(report.checks.filter((check) => check.id.startsWith('seam:') && check.status === 'fail').map((check) => check.id), [`seam:${seam}`]);
  }
});

test('doctor.seam set to undefined fails', async () => {
  const host = makeTemplateHost(readTemplateApp());
  runInstall({ directory: host, mountPath: '/ops/jobs', dryRun: false }, collectOutput().output);
  const appFile = path.join(host, 'app.ts');
  writeFileSync(appFile, readFileSync(appFile, 'utf8').replace('auth: jobsAuth,', 'auth: undefined,'));

  const { byId } = await doctor(host, { databaseUrl: null });

  assert.equal(byId['seam:auth'].status, 'fail');
  assert.match(byId['seam:auth'].detail, /sets auth to undefined/);
});

test('doctor.spread options cannot prove a seam', async () => {
  const app = `import Koa from 'koa';
import { createPowertools } from 'koa-jobs-powertools';

const shared = { repo: null };
const powertools = createPowertools({ ...shared, auth: hostAuth, displayPolicy });
`;
  const host = makeTemplateHost(app);

  const { byId } = await doctor(host, { databaseUrl: null });

  assert.equal(byId['seam:repo'].status, 'fail');
  assert.match(byId['seam:repo'].detail, /spreads an object the doctor cannot read/);
  assert.equal(byId['seam:auth'].status, 'pass');
  assert.equal(byId['seam:displayPolicy'].status, 'pass');
  assert.equal(byId.mount.status, 'fail');
  assert.match(byId.mount.detail, /no router with prefix \/ops\/jobs/);
});

test('doctor.options held in a const are read', async () => {
  const app = `import Koa from 'koa';
import { createPowertools } from 'koa-jobs-powertools';

const options = { repo: pool, auth: hostAuth, displayPolicy: policy, boss };
const powertools = createPowertools(options);
`;
  const host = makeTemplateHost(app);

  const { byId } = await doctor(host, { databaseUrl: null });

  assert.deepEqual(['seam:repo', 'seam:auth', 'seam:displayPolicy'].map((id) => byId[id].status), ['pass', 'pass', 'pass']);
});

test('doctor.options from a call are unreadable', async () => {
  const host = makeTemplateHost(`import Koa from 'koa';\nconst powertools = createPowertools(readOptions());\n`);

  const { byId } = await doctor(host, { databaseUrl: null });

  assert.equal(byId['seam:auth'].status, 'fail');
  assert.match(byId['seam:auth'].detail, /receives readOptions\(\), not an object literal/);
});

test('doctor.two createPowertools calls name both', async () => {
  const app = `import Koa from 'koa';
import { createPowertools } from 'koa-jobs-powertools';

const powertools = createPowertools({ repo: pool, auth: hostAuth, displayPolicy: policy, boss });
const reportingPowertools = createPowertools({ repo: reportingPool, auth: hostAuth, displayPolicy: policy, boss, bridge: { enabled: true } });
`;
  const host = makeTemplateHost(app);

  const { exitCode, byId } = await doctor(host, { databaseUrl: null });

  assert.equal(exitCode, 1);
  for (const seam of ['repo', 'auth', 'displayPolicy']) {
    const check = byId[`seam:${seam}`];
    assert.equal(check.status, 'fail', seam);
    assert.equal(check.detail, "app.ts calls createPowertools 2 times (lines 4 and 5); the doctor checks a host with one control plane, so it cannot tell which call's options to check");
    assert.equal(check.fix, 'Keep one createPowertools call in app.ts and mount its router once. A host with more than one control plane is best-effort: the doctor cannot check its seams.');
    assert.doesNotMatch(check.fix ?? '', /object literal/);
  }
  // The second call enables the bridge, so the package it needs is checked.
  assert.equal(byId.bridge.status, 'fail');
  assert.match(byId.bridge.detail, /^bridge: \{ enabled: true \} enables the bridge, but @pg-boss\/dashboard is not installed/);
});

test('doctor.host without createPowertools fails the app file', async () => {
  const host = makeTemplateHost();

  const { exitCode, byId } = await doctor(host, { databaseUrl: null });

  assert.equal(exitCode, 1);
  assert.equal(byId['app-file'].status, 'fail');
  assert.match(byId['app-file'].detail, /No app file that imports koa and calls createPowertools/);
  assert.equal(byId['seam:auth'].status, 'skip');
});

test('doctor.mount outside a host scope fails', async () => {
  const host = makeInstalledHost();
  const appFile = path.join(host, 'app.ts');
  writeFileSync(appFile, readFileSync(appFile, 'utf8').replace('  jobsScope.use(requireJobsActor);\n', ''));

  const { byId } = await doctor(host, { databaseUrl: null });

  assert.equal(byId.mount.status, 'fail');
  assert.match(byId.mount.detail, /no host middleware before it, so it sits outside a host-owned scope/);
});

test('doctor.missing database URL fails and skips what needs it', async () => {
  const host = makeInstalledHost();

  const { exitCode, byId } = await doctor(host, { databaseUrl: null });

  assert.equal(exitCode, 1);
  assert.equal(byId.database.status, 'fail');
  assert.match(byId.database.detail, /DATABASE_URL is not set/);
  assert.deepEqual([byId.migrations.status, byId['pg-boss-schema'].status, byId.scheduler.status], ['skip', 'skip', 'skip']);
});

test('doctor.unreachable database fails without printing the URL', async () => {
  const host = makeInstalledHost();
  const databaseUrl = `postgres://user:do-not-print@127.0.0.1:${new URL(await findClosedPort()).port}/none`;

  const { byId, stdout } = await doctor(host, { databaseUrl, json: true });

  assert.equal(byId.database.status, 'fail');
  assert.match(byId.database.detail, /not reachable: .*ECONNREFUSED/);
  assert.doesNotMatch(stdout, /do-not-print/);
});

test('doctor.pending migrations fail naming them', async () => {
  await database.resetSchemas();
  await runMigrations(database.pool, { to: '0002_create_cron_entries' });
  const host = makeInstalledHost();

  const { byId } = await doctor(host);

  assert.equal(byId.migrations.status, 'fail');
  assert.match(byId.migrations.detail, /^\d+ pending: 0003_create_action_previews, /);
  assert.match(byId.migrations.fix ?? '', /jobs-powertools migrate up/);
  assert.equal(byId.scheduler.status, 'skip');
});

test('doctor.migrations ahead of the library fail', async () => {
  await prepareDatabase();
  await database.pool.query(`insert into jobs_powertools.migrations (name) values ('9999_from_a_newer_release')`);
  const host = makeInstalledHost();

  const { byId } = await doctor(host);

  assert.equal(byId.migrations.status, 'fail');
  assert.match(byId.migrations.detail, /ahead of this library: it has applied 9999_from_a_newer_release/);
  await database.pool.query(`delete from jobs_powertools.migrations where name = '9999_from_a_newer_release'`);
});

test('doctor.unreadable migration log fails its check', async () => {
  await prepareDatabase();
  const host = makeInstalledHost();
  const databaseUrl = await makeRestrictedRoleUrl(['grant usage on schema pgboss to <role>', 'grant select on pgboss.version to <role>']);

  const { exitCode, report, byId, stdout } = await doctor(host, { databaseUrl });

  assert.equal(exitCode, 1);
  assert.deepEqual(report.checks.map((check) => check.id), reportedCheckIds);
  assert.equal(byId.database.status, 'pass');
  assert.equal(byId.migrations.status, 'fail');
  assert.equal(byId.migrations.detail, 'could not read jobs_powertools.migrations: permission denied for schema jobs_powertools (42501)');
  assert.match(byId.migrations.fix ?? '', /Grant it usage on schema jobs_powertools and select on the schema's tables\./);
  assert.equal(byId['pg-boss-schema'].status, 'pass');
  assert.equal(byId.scheduler.status, 'skip');
  assert.equal(byId.scheduler.detail, 'needs the library migrations');
  assert.doesNotMatch(stdout, /the checks failed/);
});

test('doctor.unreadable heartbeats fail the scheduler check', async () => {
  await prepareDatabase();
  const host = makeInstalledHost();
  const databaseUrl = await makeRestrictedRoleUrl([
    'grant usage on schema jobs_powertools, pgboss to <role>',
    'grant select on jobs_powertools.migrations, pgboss.version to <role>',
  ]);

  const { exitCode, report, byId } = await doctor(host, { databaseUrl });

  assert.equal(exitCode, 1);
  assert.deepEqual(report.checks.map((check) => check.id), reportedCheckIds);
  assert.deepEqual([byId.database.status, byId.migrations.status, byId['pg-boss-schema'].status], ['pass', 'pass', 'pass']);
  assert.equal(byId.scheduler.status, 'fail');
  assert.equal(byId.scheduler.detail, 'could not read jobs_powertools.scheduler_heartbeats: permission denied for table scheduler_heartbeats (42501)');
  assert.match(byId.scheduler.fix ?? '', /may read the library's tables/);
});

test('doctor.missing pg-boss schema fails', async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  const host = makeInstalledHost();

  const { byId } = await doctor(host);

  assert.equal(byId['pg-boss-schema'].status, 'fail');
  assert.match(byId['pg-boss-schema'].detail, /No pg-boss schema was found/);
});

test('doctor.stale or missing heartbeat fails the scheduler', async () => {
  await prepareDatabase();
  const host = makeInstalledHost();

  const none = await doctor(host);
  await recordSchedulerHeartbeat(database.pool, { instanceId: '00000000-0000-4000-8000-000000000002', hostname: 'web-2', pid: 7, intervalSeconds: 5 });
  await database.pool.query(`update jobs_powertools.scheduler_heartbeats set beat_at = now() - interval '10 minutes'`);
  const stale = await doctor(host);

  assert.equal(none.byId.scheduler.status, 'fail');
  assert.match(none.byId.scheduler.detail, /none has recorded a heartbeat/);
  assert.equal(stale.byId.scheduler.status, 'fail');
  assert.match(stale.byId.scheduler.detail, /from web-2 pid 7, is 600 s old/);
});

test('doctor.scheduler passes while a runtime runs and fails after it stops', async () => {
  await prepareDatabase();
  const host = makeInstalledHost();
  const boss = new PgBoss({ connectionString: database.url, supervise: false, schedule: false, max: 2 });
  await boss.start();
  database.cleanUpAfterTest(() => boss.stop({ graceful: false }));
  const powertools = createPowertools({ repo: database.pool, auth: headerAuth, displayPolicy: libraryDefaultDisplay, boss, schedulerIntervalSeconds: 0.2 });

  await powertools.runtime.start();
  const running = await doctor(host);
  await powertools.runtime.stop();
  const stopped = await doctor(host);

  assert.equal(running.byId.scheduler.status, 'pass');
  assert.equal(stopped.byId.scheduler.status, 'fail');
  assert.match(stopped.byId.scheduler.detail, /none has recorded a heartbeat/);
});

test('doctor.enabled bridge needs the dashboard package', async () => {
  const host = makeInstalledHost();
  enableBridge(host);

  const { byId } = await doctor(host, { databaseUrl: null });

  // The temporary host is outside this repository, so @pg-boss/dashboard does not resolve from it.
  assert.equal(byId.bridge.status, 'fail');
  assert.match(byId.bridge.detail, /enables the bridge, but @pg-boss\/dashboard is not installed/);
  assert.match(byId.bridge.fix ?? '', /npm install @pg-boss\/dashboard/);
});

test('doctor.bridge fix names the accepted range', async () => {
  const host = makeInstalledHost();
  enableBridge(host);
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
  const acceptedRange = manifest.peerDependencies['@pg-boss/dashboard'];

  const { byId } = await doctor(host, { databaseUrl: null });

  assert.equal(acceptedRange, '~1.9.0', 'the range createPowertools checks is the peer dependency range');
  assert.equal(byId.bridge.status, 'fail');
  assert.equal(byId.bridge.fix, `Run npm install @pg-boss/dashboard@${acceptedRange}, or set bridge: false.`);
});

test('doctor.unsupported dashboard release fails', async () => {
  const host = makeInstalledHost();
  enableBridge(host);

  installDashboardManifest(host, '2.0.0');
  const newer = await doctor(host, { databaseUrl: null });
  installDashboardManifest(host, '1.9.4');
  const patch = await doctor(host, { databaseUrl: null });

  assert.equal(newer.byId.bridge.status, 'fail');
  assert.equal(newer.byId.bridge.detail, 'bridge: { enabled: true } enables the bridge, but @pg-boss/dashboard 2.0.0 is installed; createPowertools accepts only ~1.9.0 and throws at start');
  assert.equal(newer.byId.bridge.fix, 'Run npm install @pg-boss/dashboard@~1.9.0, or set bridge: false.');
  assert.equal(patch.byId.bridge.status, 'pass');
  assert.equal(patch.byId.bridge.detail, 'bridge: { enabled: true } enables the bridge, and @pg-boss/dashboard 1.9.4 is installed');
});

test('doctor.disabled bridge is skipped', async () => {
  const host = makeInstalledHost();
  const appFile = path.join(host, 'app.ts');
  writeFileSync(appFile, readFileSync(appFile, 'utf8').replace('cronEntries: jobsCronEntries,', 'cronEntries: jobsCronEntries,\n    bridge: { enabled: false },'));

  const { byId } = await doctor(host, { databaseUrl: null });

  assert.equal(byId.bridge.status, 'skip');
});

test('doctor.mount reachability reads the answer', async () => {
  const host = makeInstalledHost();
  const notFound = await startResponder(404);
  const failing = await startResponder(500);
  const closed = await findClosedPort();

  const missing = await doctor(host, { databaseUrl: null, url: notFound });
  const broken = await doctor(host, { databaseUrl: null, url: failing });
  const down = await doctor(host, { databaseUrl: null, url: closed });
  const none = await doctor(host, { databaseUrl: null });

  assert.equal(missing.byId['mount-reachable'].status, 'fail');
  assert.match(missing.byId['mount-reachable'].detail, /answered 404: nothing is mounted at \/ops\/jobs/);
  assert.equal(broken.byId['mount-reachable'].status, 'fail');
  assert.match(broken.byId['mount-reachable'].detail, /answered 500/);
  assert.equal(down.byId['mount-reachable'].status, 'fail');
  assert.match(down.byId['mount-reachable'].detail, /did not answer \(ECONNREFUSED\)/);
  assert.equal(none.byId['mount-reachable'].status, 'skip');
});

test('doctor.json report is parseable', async () => {
  const host = makeInstalledHost();

  const { stdout, exitCode } = await doctor(host, { databaseUrl: null, json: true });

  const report = JSON.parse(stdout) as { ok: boolean; checks: Array<{ id: string; status: string; fix: string | null }> };
  assert.equal(report.ok, false);
  assert.equal(exitCode, 1);
  assert.ok(report.checks.every((check) => check.status !== 'fail' || typeof check.fix === 'string'), 'every failure carries a fix');
});
