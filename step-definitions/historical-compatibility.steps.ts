import assert from 'node:assert/strict';

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'playwright/test';

import { historicalCompatibilityLane } from '../lanes/historical-compatibility/lane';
import type { HistoricalCompatibilityLaneDeclaration } from '../lanes/lane-declaration';
import { explainWorkflow, explainWorkflowStep, readMigrationStatus } from '../library';
import { workflowColumns, workflowStepColumns, type WorkflowRow, type WorkflowStepRow } from '../library/workflows/workflow-rows';
import { saveScreenshot, signIn } from './support/control-plane-page';
import { compareWithBefore } from './support/database-snapshot';
import { timed } from './support/lane-resources';
import { noteLane, proofDirectoryOf } from './support/proof-bundle';
import { useStoredWorkflowTemplate, useUpgradedWorkflowHost, type UpgradedWorkflowHost } from './support/workflow-history-host';
import { openWorkflowByName, readExplanation } from './support/workflow-pages';
import type { LaneWorld } from './support/world';

type HistoryWorld = LaneWorld<HistoricalCompatibilityLaneDeclaration>;

Given('the workflows that the previous migration set stored under semantics version 1', async function (this: HistoryWorld) {
  this.lane = historicalCompatibilityLane;
  noteLane(this.lane);
  await useStoredWorkflowTemplate(this.lane);
});

When('the host is upgraded to the current library and started', async function (this: HistoryWorld) {
  const host = await useUpgradedWorkflowHost(this.lane);
  this.proofFacts.appliedMigrations = host.appliedMigrations;
  this.proofFacts.hostListening = host.run.baseUrl !== null;
});

Given('the upgraded host is running over those workflows', async function (this: HistoryWorld) {
  await useUpgradedWorkflowHost(this.lane);
});

Then('every current library migration is applied', async function (this: HistoryWorld) {
  const host = await useUpgradedWorkflowHost(this.lane);
  const status = await readMigrationStatus(host.pool);
  assert.deepEqual(status.pending, []);
  assert.deepEqual(status.unknown, []);
  assert.ok(status.executed.includes('0011_record_workflow_evidence'), 'the migration that introduced semantics version 2 ran over the stored rows');
  this.proofFacts.migrationsApplied = status.executed;
});

Then('every stored workflow row has the content it had before the upgrade', async function (this: HistoryWorld) {
  const host = await useUpgradedWorkflowHost(this.lane);
  const comparison = await compareWithBefore(host.pool, host.snapshotBefore);
  assert.deepEqual(comparison.losses, []);

  const storedWorkflows = host.snapshotBefore['jobs_powertools.workflows']?.rowCount ?? 0;
  const storedSteps = host.snapshotBefore['jobs_powertools.workflow_steps']?.rowCount ?? 0;
  assert.equal(storedWorkflows, this.lane.fixtures.length, 'the snapshot holds every fixture workflow');
  assert.ok(storedSteps > 0, 'the snapshot holds the fixture steps');
  const versions = await host.pool.query<{ semantics_version: number; count: number }>(
    `select semantics_version, count(*)::int as count from jobs_powertools.workflows where id = any($1::uuid[]) group by 1`,
    [this.lane.fixtures.map((fixture) => fixture.workflowId)],
  );
  assert.deepEqual(versions.rows, [{ semantics_version: this.lane.storedUnder.semanticsVersion, count: this.lane.fixtures.length }]);

  this.proofFacts.rowsKept = { tablesCompared: comparison.tablesCompared, rowsCompared: comparison.rowsCompared, storedWorkflows, storedSteps };
});

When('{string} opens the workflow that was stored {}', async function (this: HistoryWorld, operator: string, storedAs: string) {
  const fixture = findFixture(this.lane, storedAs);
  const host = await useUpgradedWorkflowHost(this.lane);
  const page = await signIn(this, host.run.baseUrl!, operator);
  await timed('browserMs', () => openWorkflowByName(page, this.lane.host.mountPath, fixture.workflowName));
  await saveScreenshot(this, proofDirectoryOf(this.lane.name), `stored-${storedAs.replaceAll(' ', '-')}`);
  this.proofFacts.fixture = fixture;
});

Then('the control plane explains that {string}', async function (this: HistoryWorld, expected: string) {
  const shown = await readExplanation(this.page!, 'workflow-explanation');
  assert.ok(shown.includes(expected), `The page explains "${shown}", which does not say "${expected}".`);
  await expect(this.page!.locator('[data-ownership="Powertools-native"]')).toBeVisible();
  await expect(this.page!.getByTestId('workflow-semantics')).toContainText('v1');
  this.proofFacts.pageExplanation = shown;
});

Then('it marks what that version did not record as {string}', async function (this: HistoryWorld, label: string) {
  const marks = this.page!.locator('main .evidence').filter({ hasText: label });
  await expect(marks.first()).toBeVisible();
  this.proofFacts.evidenceLabel = { label, shown: await marks.count() };
});

Then('the explanation derived from its stored rows is the one the page shows', async function (this: HistoryWorld) {
  const fixture = this.proofFacts.fixture as { workflowId: string };
  const host = await useUpgradedWorkflowHost(this.lane);
  const { workflow, steps } = await readStoredWorkflow(host, fixture.workflowId);

  const derived = explainWorkflow(workflow, steps);
  assert.equal(await readExplanation(this.page!, 'workflow-explanation'), derived.sentence);
  const stepSentences: Record<string, string> = {};
  for (const step of steps) {
    const sentence = explainWorkflowStep(step, workflow, steps).sentence;
    assert.equal(await readExplanation(this.page!, 'step-explanation', step.name), sentence, `step ${step.name}`);
    stepSentences[step.name] = sentence;
  }
  this.proofFacts.database = { workflowState: workflow.state, semanticsVersion: workflow.semantics_version, explanation: derived, stepSentences };
});

When('{string} reads every workflow stored under semantics version 1, in the list and one by one', async function (this: HistoryWorld, operator: string) {
  const host = await useUpgradedWorkflowHost(this.lane);
  const page = await signIn(this, host.run.baseUrl!, operator);
  await timed('browserMs', async () => {
    await page.goto(`${this.lane.host.mountPath}/workflows?name=legacy_`);
    await expect(page.getByRole('table', { name: 'Workflows' }).getByRole('row')).toHaveCount(this.lane.fixtures.length + 1);
    await saveScreenshot(this, proofDirectoryOf(this.lane.name), 'stored-workflows-list');
    for (const fixture of this.lane.fixtures) await openWorkflowByName(page, this.lane.host.mountPath, fixture.workflowName);
  });
  this.proofFacts.workflowsRead = this.lane.fixtures.map((fixture) => fixture.workflowId);
});

function findFixture(lane: HistoricalCompatibilityLaneDeclaration, storedAs: string) {
  const fixture = lane.fixtures.find((candidate) => candidate.storedAs === storedAs);
  assert.ok(fixture, `The lane declares no workflow stored "${storedAs}"; it declares: ${lane.fixtures.map((candidate) => candidate.storedAs).join(', ')}.`);
  return fixture;
}

async function readStoredWorkflow(host: UpgradedWorkflowHost, workflowId: string): Promise<{ workflow: WorkflowRow; steps: WorkflowStepRow[] }> {
  const workflows = await host.pool.query<WorkflowRow>(`select ${workflowColumns} from jobs_powertools.workflows where id = $1::uuid`, [workflowId]);
  const steps = await host.pool.query<WorkflowStepRow>(`select ${workflowStepColumns} from jobs_powertools.workflow_steps where workflow_id = $1::uuid order by position`, [workflowId]);
  assert.equal(workflows.rows.length, 1, `workflow ${workflowId} is stored`);
  return { workflow: workflows.rows[0], steps: steps.rows };
}
