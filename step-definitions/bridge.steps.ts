import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Given, Then, When } from '@cucumber/cucumber';
import type { Page } from 'playwright';
import { expect } from 'playwright/test';

import { bridgeLane } from '../lanes/bridge/lane';
import type { BridgeLaneDeclaration, BridgeWrite } from '../lanes/lane-declaration';
import { type BridgeRows, ensureSchedule, findJobInState, readJobState, snapshotBridgeRows, volatile } from './support/bridge-rows';
import { saveScreenshot, signIn, watchForErrors } from './support/control-plane-page';
import { startHostProcess } from './support/host-process';
import { logger, runSecrets, timed, useBrowser } from './support/lane-resources';
import { type LaneHost, noteScenarioHost, useReferenceHost } from './support/lane-hosts';
import { readAuditEventsSince, readNewestAuditId } from './support/operator-session';
import { noteLane, proofDirectoryOf } from './support/proof-bundle';
import { repositoryRoot } from './support/source-host-copy';
import type { LaneWorld } from './support/world';

type BridgeWorld = LaneWorld<BridgeLaneDeclaration>;

/** Per-scenario state of this lane, beside what the shared world holds. */
interface ScenarioState {
  host: LaneHost;
  rowsBefore: BridgeRows | null;
  /** The write a step sent, if any. */
  write: BridgeWrite | null;
  /** The job a step acted on, by id. */
  jobId: string | null;
  auditIdBefore: number;
  /** Status and text of the last request a step sent without following redirects. */
  response: { status: number; text: string } | null;
}

const states = new WeakMap<BridgeWorld, ScenarioState>();
const dashboardVersion = (JSON.parse(readFileSync(path.join(repositoryRoot, 'node_modules', '@pg-boss', 'dashboard', 'package.json'), 'utf8')) as { version: string }).version;
let scheduleReady: Promise<void> | null = null;

function stateOf(world: BridgeWorld): ScenarioState {
  const state = states.get(world);
  assert.ok(state, 'The scenario has no host yet; a Given step must start one first.');
  return state;
}

function bridgeUrl(world: BridgeWorld, below = ''): string {
  return `${world.lane.host.mountPath}/${world.lane.bridgePath}${below}`;
}

async function startScenario(world: BridgeWorld, host: LaneHost): Promise<void> {
  noteScenarioHost(world, host);
  states.set(world, { host, rowsBefore: null, write: null, jobId: null, auditIdBefore: await readNewestAuditId(host.pool), response: null });
  world.proofFacts.dashboardVersion = dashboardVersion;
}

Given('the reference host with the pg-boss dashboard bridge enabled', async function (this: BridgeWorld) {
  this.lane = bridgeLane;
  noteLane(bridgeLane);
  const host = await useReferenceHost({ name: bridgeLane.name, postgresMajor: bridgeLane.postgresMajor, host: bridgeLane.host });
  scheduleReady ??= ensureSchedule(host.databaseUrl, bridgeLane.queue, bridgeLane.schedule);
  await scheduleReady;
  await startScenario(this, host);
});

Given('the reference host with the pg-boss dashboard bridge disabled', async function (this: BridgeWorld) {
  this.lane = bridgeLane;
  noteLane(bridgeLane);
  const host = await useReferenceHost({ name: `${bridgeLane.name}-disabled`, postgresMajor: bridgeLane.postgresMajor, host: bridgeLane.hostWithoutBridge });
  await startScenario(this, host);
});

When('{string} opens the bridge from the native jobs of queue {string}', async function (this: BridgeWorld, operator: string, queue: string) {
  const { host } = stateOf(this);
  const page = await signIn(this, host.run!.baseUrl!, operator);
  await timed('browserMs', async () => {
    await page.goto(`${this.lane.host.mountPath}/jobs?queue=${encodeURIComponent(queue)}`);
    await page.getByRole('link', { name: `Queue ${queue} in the pg-boss dashboard bridge` }).click();
    await expect(page.getByRole('complementary', { name: 'pg-boss dashboard bridge' })).toBeVisible();
  });
  this.proofFacts.openedAt = new URL(page.url()).pathname;
});

Then('the bridge shows queue {string} with its created jobs', async function (this: BridgeWorld, queue: string) {
  const page = this.page!;
  const createdJob = await findJobInState(stateOf(this).host.pool, queue, 'created');
  await expect(page.getByRole('heading', { level: 1, name: queue })).toBeVisible();
  await expect(page.getByRole('link', { name: createdJob })).toBeVisible();
  this.proofFacts.jobShown = { queue, id: createdJob, state: 'created' };
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), `bridge-queue-${queue}`);
});

Then('the page is labelled {string} and {string}', async function (this: BridgeWorld, ownership: string, posture: string) {
  const banner = this.page!.getByRole('complementary', { name: 'pg-boss dashboard bridge' });
  await expect(banner.getByText(ownership, { exact: true })).toBeVisible();
  await expect(banner.getByText(posture, { exact: true })).toBeVisible();
  this.proofFacts.labels = [ownership, posture];
});

Then("the page says that the host's display policy does not reach inside it", async function (this: BridgeWorld) {
  const banner = this.page!.getByRole('complementary', { name: 'pg-boss dashboard bridge' });
  await expect(banner).toContainText("The host's display policy does not reach inside this dashboard");
});

Then('the bridge lists the host\'s queues {string}, {string} and {string}', async function (this: BridgeWorld, first: string, second: string, third: string) {
  const page = this.page!;
  await timed('browserMs', async () => {
    await page.getByRole('link', { name: 'Queues', exact: true }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Queues' })).toBeVisible();
    for (const queue of [first, second, third]) await expect(page.getByRole('link', { name: queue, exact: true }).first()).toBeVisible();
    await expect(page.getByRole('complementary', { name: 'pg-boss dashboard bridge' })).toBeVisible();
  });
  this.proofFacts.queuesListed = [first, second, third];
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), 'bridge-queues');
});

When('{string} submits the dashboard\'s {string} straight to the bridge', async function (this: BridgeWorld, operator: string, phrase: string) {
  const write = this.lane.writes.find((declared) => declared.phrase === phrase);
  assert.ok(write, `The lane declares no write "${phrase}"; declared: ${this.lane.writes.map((declared) => declared.phrase).join(', ')}.`);
  const state = stateOf(this);
  state.write = write;
  state.jobId = write.jobState ? await findJobInState(state.host.pool, this.lane.queue, write.jobState) : null;
  state.rowsBefore = await snapshotBridgeRows(state.host.pool, this.lane.queue);

  const page = await signIn(this, state.host.run!.baseUrl!, operator);
  const target = fillWrite(this.lane, write, state.jobId);
  const response = await timed('browserMs', () =>
    page.request.post(bridgeUrl(this, `/${target.route}`), { form: target.form, headers: { Origin: state.host.run!.baseUrl! }, maxRedirects: 0 }),
  );
  state.response = { status: response.status(), text: await response.text() };
  this.proofFacts.write = { phrase, write: write.write, route: target.route, channel: write.channel, jobId: state.jobId, status: state.response.status };
});

Then('the bridge refuses it as read-only', function (this: BridgeWorld) {
  const { response } = stateOf(this);
  assert.equal(response?.status, 403, `The bridge answered ${response?.status}: ${response?.text.slice(0, 300)}`);
  assert.match(response!.text, /^Refused by the pg-boss dashboard bridge, which is Inspection only: .+ Nothing was changed\./);
  this.proofFacts.refusal = response!.text.trim();
});

Then('the jobs of queue {string}, the queues and the schedules are unchanged', async function (this: BridgeWorld, queue: string) {
  const state = stateOf(this);
  const after = await snapshotBridgeRows(state.host.pool, queue);
  assert.deepEqual(after, state.rowsBefore);
  if (state.jobId) assert.equal(await readJobState(state.host.pool, queue, state.jobId), state.write?.jobState, 'the targeted job keeps its state');
  this.proofFacts.rowsCompared = { jobs: after.jobs.rowCount, queues: after.queues.rowCount, schedules: after.schedules.rowCount, leftOut: volatile };
});

When('{string} opens the bridge', async function (this: BridgeWorld, actor: string) {
  const { host } = stateOf(this);
  const page = await signIn(this, host.run!.baseUrl!, actor);
  const response = await timed('browserMs', () => page.goto(bridgeUrl(this)));
  stateOf(this).response = { status: response?.status() ?? 0, text: '' };
  this.proofFacts.opened = { actor, status: response?.status(), landedAt: new URL(page.url()).pathname };
});

Then('{string} is on the native overview', async function (this: BridgeWorld, actor: string) {
  const page = this.page!;
  await expect(page).toHaveURL((url) => url.pathname === `${this.lane.host.mountPath}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await expect(page.getByRole('complementary', { name: 'pg-boss dashboard bridge' })).toHaveCount(0);
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), `${actor}-sent-to-overview`);
});

When('an anonymous visitor opens the bridge', async function (this: BridgeWorld) {
  const { host } = stateOf(this);
  const context = await (await useBrowser()).newContext({ baseURL: host.run!.baseUrl! });
  const page = await context.newPage();
  watchForErrors(this, context, page);
  this.context = context;
  this.page = page;
  await context.tracing.start({ screenshots: true, snapshots: true, title: this.scenarioName });

  await timed('browserMs', () => page.goto(bridgeUrl(this, '/queues')));
  this.proofFacts.landedAt = new URL(page.url()).pathname;
});

Then("the visitor is on the host's sign-in page", async function (this: BridgeWorld) {
  const page = this.page!;
  await expect(page).toHaveURL((url) => url.pathname === '/login');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
});

When('{string} cancels a created job of queue {string} on the native job page with the reason {string}', async function (this: BridgeWorld, operator: string, queue: string, reason: string) {
  const state = stateOf(this);
  const { action, verb, jobState } = this.lane.nativeAction;
  state.jobId = await findJobInState(state.host.pool, queue, jobState);
  this.reason = reason;

  const page = await signIn(this, state.host.run!.baseUrl!, operator);
  await timed('browserMs', async () => {
    await page.goto(`${this.lane.host.mountPath}/jobs?queue=${encodeURIComponent(queue)}&state=${jobState}`);
    await page.getByRole('table', { name: 'Jobs' }).getByRole('link', { name: state.jobId!, exact: true }).click();
    await page.getByRole('link', { name: `${verb} this job` }).click();
    await page.getByLabel(/^Reason/).fill(reason);
    await page.getByRole('button', { name: new RegExp(`^Confirm: ${verb} `) }).click();
    await expect(page.getByRole('status')).toContainText('Done.');
  });
  this.proofFacts.nativeAction = { action, queue, jobId: state.jobId };
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), 'native-cancel-beside-bridge');
});

Then('that job is cancelled', async function (this: BridgeWorld) {
  const state = stateOf(this);
  assert.equal(await readJobState(state.host.pool, this.lane.queue, state.jobId!), 'cancelled');
});

Then('one audit event records {string} on that job by {string} with that reason', async function (this: BridgeWorld, action: string, operator: string) {
  const state = stateOf(this);
  const rows = await readAuditEventsSince(state.host.pool, state.auditIdBefore);
  const matching = rows.filter((row) => row.action === action && row.resource_id.endsWith(state.jobId!));
  assert.equal(matching.length, 1, `Expected one ${action} event on job ${state.jobId}, found: ${JSON.stringify(rows)}`);
  assert.equal(matching[0].actor_label, operator);
  assert.equal(matching[0].reason, this.reason);
  this.proofFacts.auditRows = matching;
});

Then('the bridge is not found', function (this: BridgeWorld) {
  assert.equal(stateOf(this).response?.status, 404);
});

Then('the native jobs of queue {string} and their job pages do not link to the bridge', async function (this: BridgeWorld, queue: string) {
  const page = this.page!;
  const bridgeLink = page.getByRole('link', { name: /pg-boss dashboard bridge/ });
  await timed('browserMs', async () => {
    await page.goto(`${this.lane.host.mountPath}/jobs`);
    await expect(bridgeLink).toHaveCount(0);
    await page.goto(`${this.lane.host.mountPath}/jobs?queue=${encodeURIComponent(queue)}`);
    await expect(page.getByRole('table', { name: 'Jobs' })).toBeVisible();
    await expect(bridgeLink).toHaveCount(0);
    await page.getByRole('table', { name: 'Jobs' }).getByRole('link').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Job /);
    await expect(bridgeLink).toHaveCount(0);
  });
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), 'job-page-without-bridge');
});

When('the host starts again with the bridge enabled and without the @pg-boss\\/dashboard package', async function (this: BridgeWorld) {
  const { host } = stateOf(this);
  const hide = path.join(repositoryRoot, 'step-definitions', 'support', 'hide-pg-boss-dashboard.js');
  this.failedStart = await timed('hostBootMs', () =>
    startHostProcess({
      hostDirectory: host.directory,
      entry: this.lane.host.serverScript,
      env: {
        DATABASE_URL: host.databaseUrl,
        PORT: '0',
        SESSION_KEYS: runSecrets.sessionKeys,
        [this.lane.bridgeVariable]: 'enabled',
        NODE_OPTIONS: `--require ${hide}`,
      },
      logger,
      timeoutMs: 120_000,
    }),
  );
});

Then('the host stops at start with an error that names {string} and {string}', function (this: BridgeWorld, packageName: string, command: string) {
  const run = this.failedStart!;
  if (run.baseUrl) void run.stop();
  assert.equal(run.baseUrl, null, 'The host started listening without the dashboard package, but it must refuse.');
  assert.notEqual(run.exitCode, 0);
  const errorLine = run.output.find((line) => line.includes('failed to start'));
  assert.ok(errorLine, `No start failure was printed; output: ${run.output.slice(-3).join(' | ')}`);
  assert.ok(errorLine.includes(packageName), `The error does not name ${packageName}: ${errorLine}`);
  assert.ok(errorLine.includes(command), `The error does not say how to install it: ${errorLine}`);
  this.proofFacts.startError = errorLine;
  this.attach(errorLine, 'text/plain');
});

/** Fills a declared write's route and form with the lane's queue, schedule key and target job. */
function fillWrite(lane: BridgeLaneDeclaration, write: BridgeWrite, jobId: string | null): { route: string; form: Record<string, string> } {
  const fill = (text: string) =>
    text
      .replaceAll(':queue', encodeURIComponent(lane.queue))
      .replaceAll(':key', encodeURIComponent(lane.schedule.key))
      .replaceAll(':job', jobId ?? ':job');
  const route = `${fill(write.route)}${write.channel === 'fetcher' ? '.data' : ''}`;
  const form = Object.fromEntries(Object.entries(write.form).map(([name, value]) => [name, value.replace(':queue', lane.queue).replace(':job', jobId ?? ':job')]));
  return { route, form };
}
