import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'playwright/test';

import type { SourceSeam } from '../lanes/lane-declaration';
import { upgradeProofLane } from '../lanes/upgrade-proof/lane';
import { readMigrationStatus } from '../library';
import { confirmCronAction, openCronEntry, saveScreenshot, signIn } from './support/control-plane-page';
import { compareWithBefore, snapshotDatabase } from './support/database-snapshot';
import { inspectSourceHost } from './support/inspect-source-host';
import { timed, useSourceTemplate } from './support/lane-resources';
import { noteLane, proofDirectoryOf } from './support/proof-bundle';
import { removeSeam } from './support/source-host-copy';
import { bootHost, prepareSourceHost, preservedSchemas, upgradeSourceHost, useUpgradedHost } from './support/upgraded-host';
import type { HostUnderTest, LaneWorld } from './support/world';

const lanes = { 'upgrade-proof': upgradeProofLane };

Given('the source host of the {string} lane, with its database at the previous migrations', async function (this: LaneWorld, laneName: string) {
  const lane = lanes[laneName as keyof typeof lanes];
  assert.ok(lane, `No lane is declared as "${laneName}"; declared lanes: ${Object.keys(lanes).join(', ')}.`);
  this.lane = lane;
  noteLane(lane);
  await useSourceTemplate(lane);
});

Given(/^the source host has lost its (repo|auth|mount|previous migrations)$/, async function (this: LaneWorld, seam: SourceSeam) {
  this.host = await prepareSourceHost(this.lane, `lost-${seam.replace(' ', '-')}`, { snapshot: false });
  if (seam === 'previous migrations') {
    await this.host.pool.query('drop schema jobs_powertools cascade');
  } else {
    removeSeam(this.host.hostDirectory, seam);
  }
});

When('the source host is inspected', async function (this: LaneWorld) {
  this.host ??= await prepareSourceHost(this.lane, 'inspected', { snapshot: false });
  this.inspection = await inspectSourceHost(this.host.hostDirectory, this.host.pool, {
    mountPath: this.lane.sourceHost.mountPath,
    previousMigration: this.lane.sourceHost.previousMigration,
    requiredSeams: this.lane.sourceHost.requiredSeams,
  });
  this.proofFacts.inspection = this.inspection;
});

Then('it is in the {string} bucket', function (this: LaneWorld, bucket: string) {
  assert.deepEqual(this.inspection?.missing, [], `Seams missing: ${JSON.stringify(this.inspection?.findings)}`);
  assert.equal(this.inspection?.bucket, bucket);
});

Then('it is in the {string} bucket with {string} named as missing', function (this: LaneWorld, bucket: string, seam: string) {
  assert.equal(this.inspection?.bucket, bucket);
  assert.deepEqual(this.inspection?.missing, [seam]);
  this.attach(`${seam}: ${this.inspection?.findings[seam as SourceSeam]}`, 'text/plain');
});

When('the source host starts with the current library before the upgrade', async function (this: LaneWorld) {
  this.host = await prepareSourceHost(this.lane, 'before-upgrade', { snapshot: true });
  this.failedStart = await bootHost(this.host);
});

Then('it stops at start with an error that names {string}', function (this: LaneWorld, option: string) {
  const run = this.failedStart!;
  assert.equal(run.baseUrl, null, 'The source host started listening, but the current library must refuse it.');
  assert.notEqual(run.exitCode, 0);
  const errorLine = run.output.find((line) => line.includes('failed to start'));
  assert.ok(errorLine, `No start failure was printed; output: ${run.output.slice(-3).join(' | ')}`);
  assert.match(errorLine, new RegExp(`\\b${option}\\b`));
  this.proofFacts.startError = errorLine;
  this.attach(errorLine, 'text/plain');
});

Then('the source database is unchanged', async function (this: LaneWorld) {
  const after = await snapshotDatabase(this.host!.pool, preservedSchemas);
  assert.deepEqual(after, this.host!.snapshotBefore);
  this.proofFacts.tablesUnchanged = Object.keys(after).length;
});

When('the upgrade actions are applied in the documented order', async function (this: LaneWorld) {
  this.host = await useUpgradedHost(this.lane, { boot: false });
  this.sharedHost = true;
  const declared = this.lane.upgradeActions.map((action) => action.id).filter((id) => id !== 'prove-native-action');
  assert.deepEqual(this.host.appliedActions.map((action) => action.id), declared);
  this.proofFacts.upgradeActions = this.host.appliedActions;
});

Then('every row of the source database is still there with the same content', function (this: LaneWorld) {
  const comparison = this.host!.comparison!;
  assert.deepEqual(comparison.losses, []);
  assert.ok(comparison.rowsCompared > 0, 'The source database had no rows to compare; the fixture did not load.');
  this.proofFacts.rowsKept = {
    tablesCompared: comparison.tablesCompared,
    rowsCompared: comparison.rowsCompared,
    rowCountsBefore: Object.fromEntries(Object.entries(this.host!.snapshotBefore!).map(([table, snapshot]) => [table, snapshot.rowCount])),
  };
});

Then('no library migration is pending', async function (this: LaneWorld) {
  const status = await readMigrationStatus(this.host!.pool);
  assert.deepEqual(status.pending, []);
  assert.deepEqual(status.unknown, []);
  this.proofFacts.migrationsApplied = status.executed;
});

Given('the upgraded source host is running', async function (this: LaneWorld) {
  this.host = await useUpgradedHost(this.lane, { boot: true });
  this.sharedHost = true;
  this.auditIdBefore = await readNewestAuditId(this.host);
});

When('the read-only viewer {string} submits a pause of {string} directly', async function (this: LaneWorld, viewer: string, entryName: string) {
  this.proofFacts.entryBefore = await readCronEntryState(this.host!, entryName);
  const page = await signIn(this, this.host!.run!.baseUrl!, viewer);
  const response = await timed('browserMs', () =>
    page.request.post(`${this.lane.sourceHost.mountPath}/cron/${entryName}/pause_cron_entry`, {
      form: { preview: randomUUID(), reason: 'viewer tries to pause without the right' },
      headers: { Origin: this.host!.run!.baseUrl! },
      maxRedirects: 0,
    }),
  );
  this.lastResponse = { status: response.status(), text: await response.text() };
});

Then('the request is refused as read-only', function (this: LaneWorld) {
  assert.equal(this.lastResponse?.status, 403);
  assert.match(this.lastResponse!.text, /Read-only/);
});

Then('{string} keeps its state and the audit trail is unchanged', async function (this: LaneWorld, entryName: string) {
  const before = this.proofFacts.entryBefore ?? (await readCronEntryState(this.host!, entryName));
  assert.deepEqual(await readCronEntryState(this.host!, entryName), before);
  assert.equal(await readNewestAuditId(this.host!), this.auditIdBefore, 'An audit event was written although the action was refused.');
});

When('{string} tries to pause {string} with the reason {string}', async function (this: LaneWorld, operator: string, entryName: string, reason: string) {
  const entryBefore = await readCronEntryState(this.host!, entryName);
  this.proofFacts.entryBefore = entryBefore;
  assert.equal(entryBefore.paused, false, `${entryName} must be active for this scenario; a scenario before it paused it.`);
  const page = await signIn(this, this.host!.run!.baseUrl!, operator);
  await timed('browserMs', async () => {
    await openCronEntry(page, this.lane.sourceHost.mountPath, entryName);
    await confirmCronAction(page, entryName, 'Pause', reason);
  });
});

Then('the pause is rejected with a message that asks for a longer reason', async function (this: LaneWorld) {
  await expect(this.page!.getByRole('alert')).toContainText('too short');
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), 'reason-too-short');
});

When('{string} opens {string} on the native cron surface', async function (this: LaneWorld, operator: string, entryName: string) {
  const page = await signIn(this, this.host!.run!.baseUrl!, operator);
  await timed('browserMs', () => openCronEntry(page, this.lane.sourceHost.mountPath, entryName));
});

Then('{string} shows as paused by {string} with the pause reason history unavailable', async function (this: LaneWorld, entryName: string, pausedBy: string) {
  const page = this.page!;
  await expect(page.getByTestId('cron-state')).toHaveText('paused');
  await expect(page.getByText(`by ${pausedBy}`, { exact: false }).first()).toBeVisible();
  const reason = page.getByRole('term').filter({ hasText: /^Pause reason$/ }).locator('xpath=following-sibling::dd[1]');
  await expect(reason).toHaveText('history unavailable (paused before reasons were recorded)');
  // The stored row has no reason: the label is the page's, not an invented value.
  assert.equal((await readCronEntryState(this.host!, entryName)).paused, true);
  this.proofFacts.pauseReasonShown = await reason.innerText();
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), `${entryName}-paused-under-0.1.0`);
});

When('{string} reads the audit trail of the upgraded host', async function (this: LaneWorld, operator: string) {
  const page = await signIn(this, this.host!.run!.baseUrl!, operator);
  await timed('browserMs', async () => {
    await page.goto(`${this.lane.sourceHost.mountPath}/`);
    await page.getByRole('navigation', { name: 'Control plane' }).getByRole('link', { name: 'Audit' }).click();
  });
});

Then('the 0.1.0 {string} event on {string} shows its reason as history unavailable', async function (this: LaneWorld, action: string, entryName: string) {
  const row = this.page!.getByRole('row').filter({ hasText: action }).filter({ hasText: entryName }).filter({ hasText: 'ops-lead' });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell', { name: 'history unavailable' })).toBeVisible();
  this.proofFacts.auditRowShown = await row.innerText();
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), 'audit-0.1.0-event-without-reason');
});

When('{string} confirms a resume of {string} twice with the reason {string}', async function (this: LaneWorld, operator: string, entryName: string, reason: string) {
  const page = await signIn(this, this.host!.run!.baseUrl!, operator);
  this.reason = reason;
  await timed('browserMs', async () => {
    await openCronEntry(page, this.lane.sourceHost.mountPath, entryName);
    await page.getByRole('link', { name: `Resume ${entryName}` }).click();
    const preview = await page.locator('input[name="preview"]').inputValue();
    const confirmUrl = page.url();
    await page.getByLabel(/^Reason/).fill(reason);
    await page.getByRole('button', { name: `Confirm: Resume ${entryName}` }).click();
    await expect(page.getByRole('status')).toContainText('Done.');

    const second = await page.request.post(confirmUrl, { form: { preview, reason }, headers: { Origin: this.host!.run!.baseUrl! } });
    this.lastResponse = { status: second.status(), text: await second.text() };
  });
  assert.equal(this.lastResponse?.status, 200);
  assert.match(this.lastResponse!.text, /already applied/);
});

Then('{string} is active', async function (this: LaneWorld, entryName: string) {
  assert.equal((await readCronEntryState(this.host!, entryName)).paused, false);
});

Then('exactly one audit event records {string} on {string} by {string}', async function (this: LaneWorld, action: string, entryName: string, operator: string) {
  const rows = await readAuditEventsSince(this.host!, this.auditIdBefore);
  const matching = rows.filter((row) => row.action === action && row.resource_id === entryName && row.actor_label === operator);
  assert.equal(matching.length, 1, `Expected one ${action} event, found ${matching.length}: ${JSON.stringify(rows)}`);
  this.proofFacts.auditRows = matching;
});

When('{string} pauses {string} on the native cron surface with the reason {string}', async function (this: LaneWorld, operator: string, entryName: string, reason: string) {
  const target = this.lane.proofTarget;
  this.proofFacts.isProofTarget = operator === target.operator && entryName === target.resource.id;
  this.reason = reason;
  const page = await signIn(this, this.host!.run!.baseUrl!, operator);
  await timed('browserMs', async () => {
    await openCronEntry(page, this.lane.sourceHost.mountPath, entryName);
    await saveScreenshot(this, proofDirectoryOf(this.lane.name), `${entryName}-before-pause`);
    await confirmCronAction(page, entryName, 'Pause', reason);
    await expect(page.getByRole('status')).toContainText('Done.');
  });
});

Then('the native cron surface shows {string} paused by {string} with that reason', async function (this: LaneWorld, entryName: string, operator: string) {
  const page = this.page!;
  await expect(page.getByTestId('cron-state')).toHaveText('paused');
  await expect(page.getByText(`by ${operator}`, { exact: false }).first()).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: this.reason })).toBeVisible();
  await expect(page.locator('[data-ownership="Powertools-native"]')).toBeVisible();
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), `${entryName}-paused`);
});

Then('one audit event records {string} on {string} by {string} with that reason', async function (this: LaneWorld, action: string, entryName: string, operator: string) {
  const rows = await readAuditEventsSince(this.host!, this.auditIdBefore);
  assert.equal(rows.length, 1, `Expected exactly one new audit event, found ${rows.length}.`);
  assert.equal(rows[0].action, action);
  assert.equal(rows[0].resource_id, entryName);
  assert.equal(rows[0].actor_label, operator);
  assert.equal(rows[0].reason, this.reason);
  this.proofFacts.auditRows = rows;
  this.proofFacts.entryAfter = await readCronEntryState(this.host!, entryName);
});

Then('the audit page lists that event', async function (this: LaneWorld) {
  const page = this.page!;
  await timed('browserMs', async () => {
    await page.getByRole('navigation', { name: 'Control plane' }).getByRole('link', { name: 'Audit' }).click();
    const row = page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: this.reason });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('pause_cron_entry');
  });
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), 'audit-page');
});

async function readCronEntryState(host: HostUnderTest, name: string): Promise<{ paused: boolean; updatedAt: string }> {
  const { rows } = await host.pool.query<{ paused: boolean; updated_at: Date }>(
    'select paused_at is not null as paused, updated_at from jobs_powertools.cron_entries where name = $1',
    [name],
  );
  assert.equal(rows.length, 1, `No cron entry ${name} in the host database.`);
  return { paused: rows[0].paused, updatedAt: rows[0].updated_at.toISOString() };
}

async function readNewestAuditId(host: HostUnderTest): Promise<number> {
  const { rows } = await host.pool.query<{ id: string | null }>('select max(id)::text as id from jobs_powertools.audit_events');
  return Number(rows[0].id ?? 0);
}

async function readAuditEventsSince(host: HostUnderTest, afterId: number) {
  const { rows } = await host.pool.query<{ id: string; action: string; resource_id: string; actor_id: string; actor_label: string; reason: string | null; occurred_at: Date }>(
    'select id::text, action, resource_id, actor_id, actor_label, reason, occurred_at from jobs_powertools.audit_events where id > $1 order by id',
    [afterId],
  );
  return rows;
}

