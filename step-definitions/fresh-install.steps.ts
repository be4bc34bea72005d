import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Given, Then, When } from '@cucumber/cucumber';

import { findLane } from '../lanes/index';
import type { FreshInstallLaneDeclaration } from '../lanes/lane-declaration';
import { type CliRun, runJobsPowertools } from './support/cli-process';
import { signIn, saveScreenshot } from './support/control-plane-page';
import { copyTemplate, useInstalledFreshHost } from './support/fresh-install-host';
import { hashHostFiles } from './support/host-files';
import { timed } from './support/lane-resources';
import { type LaneHost, noteScenarioHost } from './support/lane-hosts';
import { openControlPlane, pauseFromCronSurface, readAuditEventsSince, readCronEntryState, readNewestAuditId } from './support/operator-session';
import { noteLane, proofDirectoryOf } from './support/proof-bundle';
import { editHostFile } from './support/source-host-copy';
import type { LaneWorld } from './support/world';

type FreshInstallWorld = LaneWorld<FreshInstallLaneDeclaration>;

/** Per-scenario state of this lane, beside what the shared world holds. */
interface ScenarioState {
  hostDirectory: string;
  installed: LaneHost | null;
  filesBefore: Record<string, string>;
  run: CliRun | null;
  auditIdBefore: number;
  /** The first control-plane page the operator saw: its heading and ownership label. */
  landing: { heading: string | null; ownership: string | null } | null;
}

const states = new WeakMap<FreshInstallWorld, ScenarioState>();

function stateOf(world: FreshInstallWorld): ScenarioState {
  const state = states.get(world);
  assert.ok(state, 'The scenario has no host yet; a Given step must make one first.');
  return state;
}

async function runInstaller(world: FreshInstallWorld, args: string[]): Promise<CliRun> {
  const state = stateOf(world);
  state.filesBefore = hashHostFiles(state.hostDirectory);
  state.run = await timed('cliMs', () => runJobsPowertools(['install', ...args], { cwd: state.hostDirectory }));
  world.attach(`$ jobs-powertools install ${args.join(' ')}\n(exit ${state.run.exitCode})\n${state.run.stdout}${state.run.stderr}`, 'text/plain');
  world.proofFacts.installer = { args, exitCode: state.run.exitCode, durationMs: state.run.durationMs, stdout: state.run.stdout, stderr: state.run.stderr };
  return state.run;
}

Given('the bare host template of the {string} lane', function (this: FreshInstallWorld, laneName: string) {
  this.lane = findLane(laneName, 'fresh-install');
  noteLane(this.lane);
});

When('the installer runs in a copy of the template', async function (this: FreshInstallWorld) {
  states.set(this, { hostDirectory: copyTemplate(this.lane, 'first-run'), installed: null, filesBefore: {}, run: null, auditIdBefore: 0, landing: null });
  const run = await runInstaller(this, []);
  assert.equal(run.exitCode, 0, `jobs-powertools install failed: ${run.stderr}`);
});

Then('the host depends on koa-jobs-powertools and pg-boss', function (this: FreshInstallWorld) {
  const manifest = JSON.parse(readFileSync(path.join(stateOf(this).hostDirectory, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  assert.match(manifest.dependencies['koa-jobs-powertools'] ?? '', /^\^\d+\.\d+\.\d+$/);
  assert.match(manifest.dependencies['pg-boss'] ?? '', /^\^12\./);
  this.proofFacts.dependencies = manifest.dependencies;
});

Then('the host owns a starter auth seam that denies everyone, a display policy, its cron entries and a migration script', function (this: FreshInstallWorld) {
  const seams = path.join(stateOf(this).hostDirectory, 'jobs-powertools');
  const read = (name: string) => readFileSync(path.join(seams, name), 'utf8');

  const auth = read('auth.ts');
  assert.match(auth, /currentActor\([^)]*\)[^{]*\{\s*\/\/ EDIT[^\n]*\n\s*return null;/, 'The starter currentActor must return null: nobody is signed in to the control plane.');
  assert.match(auth, /return \{ allowed: false,/, 'The starter authorize must deny every action.');
  assert.doesNotMatch(auth, /return \{ allowed: true/, 'The starter auth seam must never allow anything.');
  assert.match(read('display-policy.ts'), /EDIT: redact here/);
  assert.match(read('cron-entries.ts'), /jobsCronEntries: CronEntryDeclaration\[\] = \[/);
  assert.match(read('migrate.ts'), /runMigrations\(pool\)/);
  this.proofFacts.seamFiles = Object.keys(hashHostFiles(seams));
});

Then('the app mounts the control plane inside a host-owned scope behind its own pipeline', function (this: FreshInstallWorld) {
  const app = readFileSync(path.join(stateOf(this).hostDirectory, this.lane.template.appFile), 'utf8');
  const mountAt = app.indexOf(`new Router({ prefix: '${this.lane.mountPath}' })`);
  assert.ok(mountAt > 0, `The app file has no router with prefix ${this.lane.mountPath}.`);
  assert.ok(app.indexOf('app.use(session(') < mountAt, 'The mount must come after the host\'s session middleware.');
  assert.ok(app.indexOf('app.use(bodyParser(') < mountAt, 'The mount must come after the host\'s body parser.');
  assert.ok(mountAt < app.indexOf('app.use(router.routes())'), 'The mount must come before the host\'s own routes.');
  assert.match(app, /jobsScope\.use\(requireJobsActor\);\n\s*jobsScope\.use\(powertools\.router\.routes\(\)/, 'The scope must run the host gate before the control plane.');
  assert.ok(app.indexOf('await powertools.runtime.start();') < app.indexOf('app.listen('), 'The scheduler must start before the host listens.');
  this.attach(app, 'text/plain');
});

Then('the doctor finds repo, auth and displayPolicy in the app', async function (this: FreshInstallWorld) {
  const run = await timed('cliMs', () => runJobsPowertools(['doctor', '--json'], { cwd: stateOf(this).hostDirectory }));
  const report = JSON.parse(run.stdout) as { checks: Array<{ id: string; status: string; detail: string }> };
  const seams = report.checks.filter((check) => check.id.startsWith('seam:') || check.id === 'mount');
  assert.deepEqual(seams.map((check) => [check.id, check.status]), [['seam:repo', 'pass'], ['seam:auth', 'pass'], ['seam:displayPolicy', 'pass'], ['mount', 'pass']]);
  this.proofFacts.doctorSeams = seams;
});

When('the installer runs in a copy of the template as a dry run', async function (this: FreshInstallWorld) {
  states.set(this, { hostDirectory: copyTemplate(this.lane, 'dry-run'), installed: null, filesBefore: {}, run: null, auditIdBefore: 0, landing: null });
  const run = await runInstaller(this, ['--dry-run']);
  assert.equal(run.exitCode, 0, `jobs-powertools install --dry-run failed: ${run.stderr}`);
});

Then('it prints the change it would make to each file', function (this: FreshInstallWorld) {
  const { stdout } = stateOf(this).run!;
  for (const file of ['jobs-powertools/auth.ts', 'jobs-powertools/display-policy.ts', 'jobs-powertools/cron-entries.ts', 'jobs-powertools/migrate.ts', 'package.json', this.lane.template.appFile]) {
    assert.match(stdout, new RegExp(`^\\+\\+\\+ b/${file.replace('.', '\\.')}$`, 'm'), `The dry run printed no diff for ${file}.`);
  }
  assert.match(stdout, /^\+\s+const powertools = createPowertools\(\{$/m);
});

Then('no file of the host changed', function (this: FreshInstallWorld) {
  const state = stateOf(this);
  assert.deepEqual(hashHostFiles(state.hostDirectory), state.filesBefore);
  this.proofFacts.filesUnchanged = Object.keys(state.filesBefore).length;
});

Given('a copy of the template that starts its server in a way the installer does not recognise', function (this: FreshInstallWorld) {
  const hostDirectory = copyTemplate(this.lane, 'unfamiliar');
  // The server starts through node:http instead of app.listen(), a pattern the installer does not edit.
  editHostFile(hostDirectory, this.lane.template.appFile, "import { bodyParser } from '@koa/bodyparser';\n", "import { createServer } from 'node:http';\n\nimport { bodyParser } from '@koa/bodyparser';\n");
  editHostFile(hostDirectory, this.lane.template.appFile, 'const server = app.listen(port,', 'const server = createServer(app.callback()).listen(port,');
  states.set(this, { hostDirectory, installed: null, filesBefore: {}, run: null, auditIdBefore: 0, landing: null });
});

When('the installer runs in that copy', async function (this: FreshInstallWorld) {
  await runInstaller(this, []);
});

Then('the app file is unchanged', function (this: FreshInstallWorld) {
  const state = stateOf(this);
  const appFile = this.lane.template.appFile;
  assert.equal(hashHostFiles(state.hostDirectory)[appFile], state.filesBefore[appFile], `${appFile} was changed although the installer did not recognise it.`);
});

Then('the installer prints the lines to add by hand and exits asking for that edit', function (this: FreshInstallWorld) {
  const run = stateOf(this).run!;
  assert.equal(run.exitCode, 3);
  assert.match(run.stderr, /does not recognise where to mount/);
  assert.match(run.stderr, /app\.listen\(\) after its routes/);
  assert.match(run.stderr, /^ {4}const powertools = createPowertools\(\{$/m);
  assert.match(run.stderr, /^ {4}await powertools\.runtime\.start\(\);$/m);
});

Given('the template was installed following the installation guide', async function (this: FreshInstallWorld) {
  const installed = await useInstalledFreshHost(this.lane);
  noteScenarioHost(this, installed);
  states.set(this, { hostDirectory: installed.directory, installed, filesBefore: {}, run: null, auditIdBefore: await readNewestAuditId(installed.pool), landing: null });
  const declared = this.lane.steps.map((step) => step.id).filter((id) => id !== 'prove-native-action');
  assert.deepEqual(installed.appliedSteps.map((step) => step.id), declared);
  this.proofFacts.appliedSteps = installed.appliedSteps;
});

When('the installer runs in the installed host again', async function (this: FreshInstallWorld) {
  await runInstaller(this, []);
});

Then('the installer reports that there is nothing to change', function (this: FreshInstallWorld) {
  const run = stateOf(this).run!;
  assert.equal(run.exitCode, 0);
  assert.match(run.stdout, /nothing to change/);
  assert.match(run.stdout, /kept +jobs-powertools\/auth\.ts: the host changed it since the installer wrote it; never overwritten/);
});

When('{string} signs in to the installed host and pauses {string} with the reason {string}', async function (this: FreshInstallWorld, operator: string, entryName: string, reason: string) {
  const state = stateOf(this);
  const { installed } = state;
  this.reason = reason;
  this.proofFacts.isProofTarget = operator === this.lane.proofTarget.operator && entryName === this.lane.proofTarget.resource.id;
  const page = await signIn(this, installed!.run!.baseUrl!, operator);
  await timed('browserMs', async () => {
    await openControlPlane(page, this.lane.mountPath);
    state.landing = {
      heading: await page.getByRole('heading', { level: 1 }).textContent(),
      ownership: await page.locator('[data-ownership]').first().getAttribute('data-ownership'),
    };
    await saveScreenshot(this, proofDirectoryOf(this.lane.name), 'installed-overview');
    await pauseFromCronSurface(page, entryName, reason);
  });
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), `${entryName}-paused`);
});

Then('the control plane opened on its overview', function (this: FreshInstallWorld) {
  assert.deepEqual(stateOf(this).landing, { heading: 'Overview', ownership: 'Powertools-native' });
  this.proofFacts.landing = stateOf(this).landing;
});

Then('{string} is paused by {string} with that reason', async function (this: FreshInstallWorld, entryName: string, operator: string) {
  const state = await readCronEntryState(stateOf(this).installed!.pool, entryName);
  assert.equal(state.paused, true);
  assert.equal(state.pauseReason, this.reason);
  assert.equal(state.pausedBy, operator);
  this.proofFacts.entryAfter = state;
});

Then('exactly one audit event records the pause of {string} by {string} with that reason', async function (this: FreshInstallWorld, entryName: string, operator: string) {
  const rows = await readAuditEventsSince(stateOf(this).installed!.pool, stateOf(this).auditIdBefore);
  const pauses = rows.filter((row) => row.action === 'pause_cron_entry' && row.resource_id === entryName);
  assert.equal(pauses.length, 1, `Expected one pause_cron_entry event, found ${JSON.stringify(rows)}`);
  assert.equal(pauses[0].actor_label, operator);
  assert.equal(pauses[0].reason, this.reason);
  this.proofFacts.auditRows = pauses;
});
