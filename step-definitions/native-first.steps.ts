import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { Given, Then, When } from '@cucumber/cucumber';
import type { Page } from 'playwright';
import { expect } from 'playwright/test';

import type { NativeFirstLaneDeclaration, NativePage } from '../lanes/lane-declaration';
import { findLane } from '../lanes/index';
import { loadTypeScript } from '../library/cli/app-file/load-typescript';
import { parseAppFile } from '../library/cli/app-file/parse-app-file';
import { readPowertoolsCalls } from '../library/cli/app-file/read-powertools-config';
import { saveScreenshot, signIn } from './support/control-plane-page';
import { listPageVisits, type PageVisit } from './support/control-plane-pages';
import { timed } from './support/lane-resources';
import { type LaneHost, noteScenarioHost, useReferenceHost } from './support/lane-hosts';
import { type AuditRow, readAuditEventsSince, readNewestAuditId } from './support/operator-session';
import { noteLane, proofDirectoryOf } from './support/proof-bundle';
import type { LaneWorld } from './support/world';

type NativeFirstWorld = LaneWorld<NativeFirstLaneDeclaration>;

interface ScenarioState {
  host: LaneHost;
  auditIdBefore: number;
  visit: PageVisit | null;
  action: string | null;
  bridgeResponses: Array<{ path: string; status: number }>;
  pagesSeen: Array<{ page: string; bridgeLinks: string[]; bridgeLabels: number }>;
}

const states = new WeakMap<NativeFirstWorld, ScenarioState>();

function stateOf(world: NativeFirstWorld): ScenarioState {
  const state = states.get(world);
  assert.ok(state, 'The reference host is not running for this scenario; the Background starts it.');
  return state;
}

async function findVisit(host: LaneHost, pageName: string): Promise<PageVisit> {
  const visit = (await listPageVisits(host.pool)).find((candidate) => candidate.page === pageName);
  assert.ok(visit, `The reference host has no ${pageName} page to visit; its seed made no resource for it.`);
  return visit;
}

function declaredPage(lane: NativeFirstLaneDeclaration, pageName: string): NativePage {
  const declared = lane.pages.find((page) => page.page === pageName);
  assert.ok(declared, `The native-first lane does not declare a ${pageName} page; declared: ${lane.pages.map((page) => page.page).join(', ')}.`);
  return declared;
}

Given('the reference host of the {string} lane is running with the bridge disabled', async function (this: NativeFirstWorld, laneName: string) {
  this.lane = findLane(laneName, 'native-first');
  noteLane(this.lane);
  const host = await useReferenceHost(this.lane);
  noteScenarioHost(this, host);
  states.set(this, { host, auditIdBefore: await readNewestAuditId(host.pool), visit: null, action: null, bridgeResponses: [], pagesSeen: [] });

  // The reference host sets bridge from REFERENCE_HOST_BRIDGE, which the lane boots it with.
  const appFile = path.join(host.directory, this.lane.host.appFile);
  const bridge = readPowertoolsCalls(parseAppFile(loadTypeScript(host.directory), appFile))[0]?.options.get('bridge');
  this.proofFacts.bridge = { option: bridge?.text ?? 'not set', boot: host.appliedSteps.find((step) => step.id === 'start-host')?.result };
});

When(/^"([^"]+)" opens the (overview|jobs|job detail|cron|cron entry|workflows|workflow detail|audit|forensics) page$/, async function (this: NativeFirstWorld, operator: string, pageName: string) {
  const state = stateOf(this);
  declaredPage(this.lane, pageName);
  state.visit = await findVisit(state.host, pageName);
  const page = await signIn(this, state.host.run!.baseUrl!, operator);
  const response = await timed('browserMs', () => page.goto(`${this.lane.host.mountPath}/${state.visit!.path}`));
  this.lastResponse = { status: response?.status() ?? 0, text: '' };
});

Then('it renders as a Powertools-native page', async function (this: NativeFirstWorld) {
  const page = this.page!;
  const visit = stateOf(this).visit!;
  assert.equal(this.lastResponse?.status, 200);
  assert.equal(new URL(page.url()).pathname, `${this.lane.host.mountPath}/${visit.path}`, `${visit.page} redirected to ${page.url()}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('[data-ownership="Powertools-native"]').first()).toBeVisible();
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), `page-${visit.page.replace(' ', '-')}`);
  this.proofFacts.page = { page: visit.page, path: visit.path, heading: await page.getByRole('heading', { level: 1 }).textContent() };
});

When(/^"([^"]+)" uses (\w+) on the (jobs|job detail|cron entry|workflow detail) page with the reason "([^"]+)"$/, async function (this: NativeFirstWorld, operator: string, action: string, pageName: string, reason: string) {
  const state = stateOf(this);
  assert.equal(declaredPage(this.lane, pageName).action, action, `The lane declares another action for the ${pageName} page.`);
  state.visit = await findVisit(state.host, pageName);
  state.action = action;
  this.reason = reason;

  const page = await signIn(this, state.host.run!.baseUrl!, operator);
  await timed('browserMs', async () => {
    await page.goto(`${this.lane.host.mountPath}/${actionPagePath(state.visit!)}`);
    await page.locator(`a[href*="/${action}"]`).first().click();
    await expect(page.getByRole('heading', { name: 'What will change' })).toBeVisible();
    await saveScreenshot(this, proofDirectoryOf(this.lane.name), `${action}-preview`);
    await page.getByLabel(/^Reason/).fill(reason);
    await page.getByRole('button', { name: /^Confirm: / }).click();
  });
});

/** Returns the page to act from: the jobs list offers bulk actions only for one queue's jobs in the states an action applies to. */
function actionPagePath(visit: PageVisit): string {
  return visit.page === 'jobs' ? 'jobs?queue=emails&state=created' : visit.path;
}

Then('the control plane confirms the action was done', async function (this: NativeFirstWorld) {
  const page = this.page!;
  await expect(page.getByRole('status')).toBeVisible();
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), `${stateOf(this).action}-done`);
  this.proofFacts.outcome = await page.getByRole('status').textContent();
});

Then(/^exactly one audit event records (\w+) by "([^"]+)" with that reason$/, async function (this: NativeFirstWorld, action: string, operator: string) {
  const rows: AuditRow[] = await readAuditEventsSince(stateOf(this).host.pool, stateOf(this).auditIdBefore);
  assert.equal(rows.length, 1, `Expected exactly one new audit event, found ${JSON.stringify(rows)}`);
  assert.equal(rows[0].action, action);
  assert.equal(rows[0].actor_label, operator);
  assert.equal(rows[0].reason, this.reason);
  this.proofFacts.auditRows = rows;
});

When('{string} asks for the pg-boss dashboard bridge', async function (this: NativeFirstWorld, operator: string) {
  const state = stateOf(this);
  const page = await signIn(this, state.host.run!.baseUrl!, operator);
  const bridgeRoot = `${this.lane.host.mountPath}${this.lane.bridgePath}`;
  // The dashboard's own kinds of route: pages, React Router `.data` fetchers, built assets.
  const reads = [bridgeRoot, `${bridgeRoot}/`, `${bridgeRoot}/queues/emails`, `${bridgeRoot}/queues/emails/jobs/${randomUUID()}`, `${bridgeRoot}/queues.data`, `${bridgeRoot}/assets/entry.client.js`];
  for (const bridgePath of reads) {
    const response = await timed('browserMs', () => page.request.get(bridgePath, { maxRedirects: 0 }));
    state.bridgeResponses.push({ path: bridgePath, status: response.status() });
  }
  const write = await timed('browserMs', () =>
    page.request.post(`${bridgeRoot}/queues/emails`, { form: { intent: 'retry' }, headers: { Origin: state.host.run!.baseUrl! }, maxRedirects: 0 }),
  );
  state.bridgeResponses.push({ path: `POST ${bridgeRoot}/queues/emails`, status: write.status() });
  this.proofFacts.bridgeResponses = state.bridgeResponses;
});

Then('its root, its pages, its data routes, its assets and its write routes answer not found', function (this: NativeFirstWorld) {
  for (const response of stateOf(this).bridgeResponses) assert.equal(response.status, 404, `${response.path} answered ${response.status}`);
});

When('{string} visits every native page', async function (this: NativeFirstWorld, operator: string) {
  const state = stateOf(this);
  const page = await signIn(this, state.host.run!.baseUrl!, operator);
  for (const visit of await listPageVisits(state.host.pool)) {
    await timed('browserMs', () => page.goto(`${this.lane.host.mountPath}/${visit.path}`));
    state.pagesSeen.push({ page: visit.page, bridgeLinks: await findBridgeLinks(page, `${this.lane.host.mountPath}${this.lane.bridgePath}`), bridgeLabels: await page.locator('[data-ownership="pg-boss dashboard bridge"]').count() });
  }
  this.proofFacts.pagesSeen = state.pagesSeen;
});

Then('no page links to the bridge or carries its label', function (this: NativeFirstWorld) {
  const seen = stateOf(this).pagesSeen;
  assert.equal(seen.length, this.lane.pages.length, `Visited ${seen.map((entry) => entry.page).join(', ')}; the lane declares ${this.lane.pages.length} pages.`);
  for (const entry of seen) {
    assert.deepEqual(entry.bridgeLinks, [], `${entry.page} links to the bridge`);
    assert.equal(entry.bridgeLabels, 0, `${entry.page} carries the bridge's ownership label`);
  }
});

/** Links whose resolved path is the bridge or below it. */
async function findBridgeLinks(page: Page, bridgeRoot: string): Promise<string[]> {
  const hrefs = await page.locator('a[href], form[action]').evaluateAll((elements) => elements.map((element) => element.getAttribute('href') ?? element.getAttribute('action') ?? ''));
  return hrefs.filter((href) => {
    const resolved = new URL(href, page.url()).pathname;
    return resolved === bridgeRoot || resolved.startsWith(`${bridgeRoot}/`);
  });
}
