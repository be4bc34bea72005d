import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'playwright/test';

import { findLane } from '../lanes/index';
import { saveScreenshot, signIn } from './support/control-plane-page';
import { findFailedJob, listActionLinks, listPageVisits, type PageVisit } from './support/control-plane-pages';
import { assertDeclaredStepsPerformed, type FirstSessionWorld, performSessionStep, type SessionSubject } from './support/first-session-steps';
import { timed } from './support/lane-resources';
import { type AppliedStep, type LaneHost, noteScenarioHost, useReferenceHost } from './support/lane-hosts';
import { readAuditEventsSince, readCronEntryState, readNewestAuditId } from './support/operator-session';
import { noteLane, proofDirectoryOf } from './support/proof-bundle';

interface ScenarioState {
  host: LaneHost;
  auditIdBefore: number;
  /** The declared browser steps this scenario performed, in order. The host's own steps come before them. */
  performed: AppliedStep[];
  visits: Array<PageVisit & { finalPath: string; status: number | null; heading: string | null; readOnlyNotice: boolean; actionLinks: string[] }>;
  directSubmission: { status: number; text: string; before: unknown } | null;
}

const states = new WeakMap<FirstSessionWorld, ScenarioState>();

function stateOf(world: FirstSessionWorld): ScenarioState {
  const state = states.get(world);
  assert.ok(state, 'The reference host is not running for this scenario; the Background starts it.');
  return state;
}

function proofDirectory(world: FirstSessionWorld): string {
  return proofDirectoryOf(world.lane.name);
}

/** Lists every declared step the lane performed for this scenario, in order: the host's, then the browser's. */
function listPerformedSteps(world: FirstSessionWorld): AppliedStep[] {
  const state = stateOf(world);
  return [...state.host.appliedSteps, ...state.performed];
}

/** Performs one declared browser step and keeps the proof facts' list of performed steps current, even when it fails. */
async function performStep(world: FirstSessionWorld, stepId: string, subject: Omit<SessionSubject, 'host'>): Promise<void> {
  const state = stateOf(world);
  try {
    await performSessionStep(world, stepId, { host: state.host, ...subject }, state.performed);
  } finally {
    world.proofFacts.performedSteps = listPerformedSteps(world);
  }
}

Given('the reference host of the {string} lane is running with its demo operators', async function (this: FirstSessionWorld, laneName: string) {
  this.lane = findLane(laneName, 'first-session');
  noteLane(this.lane);
  // useReferenceHost performs the declared steps it owns (migrate, seed, start) in their declared order.
  const host = await useReferenceHost(this.lane, this.lane.steps);
  noteScenarioHost(this, host);
  states.set(this, { host, auditIdBefore: await readNewestAuditId(host.pool), performed: [], visits: [], directSubmission: null });
  this.proofFacts.performedSteps = listPerformedSteps(this);
});

When('{string} signs in and opens the control plane', async function (this: FirstSessionWorld, operator: string) {
  await performStep(this, 'sign-in', { operator });
  await performStep(this, 'land-on-overview', { operator });
  await saveScreenshot(this, proofDirectory(this), 'first-session-overview');
});

Then('the overview is the first page, with what needs an operator first', async function (this: FirstSessionWorld) {
  const page = this.page!;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  const firstBucket = page.locator('section.bucket').first();
  await expect(firstBucket).toHaveAttribute('data-bucket', 'needs_review');
  await expect(firstBucket.getByRole('heading', { level: 2 })).toContainText(/\d/);
  this.proofFacts.firstBucket = await firstBucket.getByRole('heading', { level: 2 }).textContent();
});

Then('the overview is a Powertools-native page', async function (this: FirstSessionWorld) {
  await expect(this.page!.locator('[data-ownership="Powertools-native"]').first()).toBeVisible();
});

When('{string} pauses {string} from the cron surface with the reason {string}', async function (this: FirstSessionWorld, operator: string, entryName: string, reason: string) {
  const target = this.lane.proofTarget;
  this.proofFacts.isProofTarget = operator === target.operator && entryName === target.resource.id;
  this.proofFacts.entryBefore = await readCronEntryState(stateOf(this).host.pool, entryName);
  this.reason = reason;
  const subject = { operator, entryName, reason };
  for (const stepId of ['sign-in', 'land-on-overview', 'open-cron-surface', 'pause-with-reason']) {
    await performStep(this, stepId, subject);
  }
});

Then('{string} shows as paused by {string} with that reason', async function (this: FirstSessionWorld, entryName: string, operator: string) {
  const page = this.page!;
  await expect(page.getByTestId('cron-state')).toHaveText('paused');
  await expect(page.getByText(`by ${operator}`, { exact: false }).first()).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: this.reason })).toBeVisible();
  await saveScreenshot(this, proofDirectory(this), `${entryName}-paused`);
  const state = await readCronEntryState(stateOf(this).host.pool, entryName);
  assert.deepEqual(state, { paused: true, pausedBy: operator, pauseReason: this.reason });
  this.proofFacts.entryAfter = state;
});

Then('the forensics of {string} show the pause by {string} with that reason', async function (this: FirstSessionWorld, entryName: string, operator: string) {
  await performStep(this, 'read-forensics', { operator, entryName, reason: this.reason });
  await saveScreenshot(this, proofDirectory(this), `${entryName}-forensics`);
});

Then('the audit trail lists exactly one pause of {string} by {string} with that reason', async function (this: FirstSessionWorld, entryName: string, operator: string) {
  await performStep(this, 'read-audit', { operator, entryName, reason: this.reason });
  await saveScreenshot(this, proofDirectory(this), 'audit-page');

  const rows = await readAuditEventsSince(stateOf(this).host.pool, stateOf(this).auditIdBefore);
  const pauses = rows.filter((row) => row.action === 'pause_cron_entry' && row.resource_id === entryName);
  assert.equal(pauses.length, 1, `Expected one pause_cron_entry event, found ${JSON.stringify(rows)}`);
  assert.equal(pauses[0].actor_label, operator);
  assert.equal(pauses[0].reason, this.reason);
  this.proofFacts.auditRows = pauses;
});

Then("the session took every step of the first operator session guide, in the guide's order", function (this: FirstSessionWorld) {
  assertDeclaredStepsPerformed(this.lane.steps, listPerformedSteps(this).map((step) => step.id));
});

When(/^"([^"]+)" visits every page of the control plane$/, async function (this: FirstSessionWorld, actor: string) {
  const state = stateOf(this);
  const mountPath = this.lane.host.mountPath;
  const page = await signIn(this, state.host.run!.baseUrl!, actor);
  for (const visit of await listPageVisits(state.host.pool)) {
    const response = await timed('browserMs', () => page.goto(`${mountPath}/${visit.path}`));
    const finalPath = new URL(page.url()).pathname;
    const onMount = finalPath.startsWith(mountPath);
    state.visits.push({
      ...visit,
      finalPath,
      status: response?.status() ?? null,
      heading: onMount ? await page.getByRole('heading', { level: 1 }).textContent() : null,
      readOnlyNotice: onMount && (await page.getByRole('note').filter({ hasText: 'Read-only' }).count()) > 0,
      actionLinks: onMount ? await listActionLinks(page) : [],
    });
    await saveScreenshot(this, proofDirectory(this), `${actor}-${visit.page.replace(' ', '-')}`);
  }
  this.proofFacts.visits = state.visits;
});

Then('every page renders for {string}', function (this: FirstSessionWorld, _actor: string) {
  for (const visit of stateOf(this).visits) {
    assert.equal(visit.status, 200, `${visit.page} answered ${visit.status}`);
    assert.equal(visit.finalPath, `${this.lane.host.mountPath}/${visit.path}`, `${visit.page} redirected to ${visit.finalPath}`);
    assert.ok(visit.heading, `${visit.page} has no heading`);
  }
});

Then('every page that offers actions shows {string} a read-only notice and no action', function (this: FirstSessionWorld, _actor: string) {
  const visits = stateOf(this).visits;
  assert.ok(visits.some((visit) => visit.offersActions), 'No visited page offers actions, so nothing was proven.');
  for (const visit of visits) {
    if (visit.offersActions) assert.ok(visit.readOnlyNotice, `${visit.page} shows no read-only notice`);
    assert.deepEqual(visit.actionLinks, [], `${visit.page} links to actions`);
  }
});

When(/^"([^"]+)" submits (pause_cron_entry|run_cron_entry|retry_job) on (the cron entry \w+|a failed job) directly$/, async function (this: FirstSessionWorld, actor: string, action: string, resource: string) {
  const state = stateOf(this);
  const pool = state.host.pool;
  const failedJob = await findFailedJob(pool);
  const path = resource === 'a failed job' ? `jobs/${failedJob.queue}/${failedJob.id}/${action}` : `cron/${resource.replace('the cron entry ', '')}/${action}`;
  const before = await readActionableState(pool, failedJob.id);

  const page = await signIn(this, state.host.run!.baseUrl!, actor);
  const response = await timed('browserMs', () =>
    page.request.post(`${this.lane.host.mountPath}/${path}`, {
      form: { preview: randomUUID(), reason: 'submitted directly without the right' },
      headers: { Origin: state.host.run!.baseUrl! },
      maxRedirects: 0,
    }),
  );
  state.directSubmission = { status: response.status(), text: await response.text(), before };
  this.proofFacts.directSubmission = { action, path, status: response.status() };
});

Then('the submission is refused as read-only', function (this: FirstSessionWorld) {
  const submission = stateOf(this).directSubmission!;
  assert.equal(submission.status, 403);
  assert.match(submission.text, /Read-only/);
});

Then('nothing changed and no audit event was written', async function (this: FirstSessionWorld) {
  const state = stateOf(this);
  const failedJob = await findFailedJob(state.host.pool);
  assert.deepEqual(await readActionableState(state.host.pool, failedJob.id), state.directSubmission!.before);
  assert.equal(await readNewestAuditId(state.host.pool), state.auditIdBefore, 'An audit event was written although the submission was refused.');
});

Then("each visit ends on the host's home page", function (this: FirstSessionWorld) {
  const visits = stateOf(this).visits;
  assert.ok(visits.length > 0);
  for (const visit of visits) assert.equal(visit.finalPath, '/', `${visit.page} ended on ${visit.finalPath}`);
});

/** The rows a refused submission must leave alone: every cron entry and the failed job. */
async function readActionableState(pool: LaneHost['pool'], jobId: string): Promise<unknown> {
  const entries = await pool.query('select name, paused_at, paused_by, updated_at from jobs_powertools.cron_entries order by name');
  const slots = await pool.query('select count(*)::int as count from jobs_powertools.cron_slots');
  const job = await pool.query('select state::text, retry_count from pgboss.job where id = $1::uuid', [jobId]);
  return { entries: entries.rows, slots: slots.rows[0].count, job: job.rows[0] };
}
