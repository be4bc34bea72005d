import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { type DisplayPolicy, runMigrations } from '../../library';
import { useTestDatabase } from '../support/use-test-database';
import { listAllAuditEvents } from './support/cron-fixtures';
import { startHttpHost } from './support/http-host';
import { testUsers } from './support/test-roles';
import { createWorkflowQueues, diamondPlan, readSteps, readWorkflow, startBoss, startRuntime, waitForStepState, workflowHeaderAuth } from './support/workflow-fixtures';

const database = useTestDatabase(__filename);
const reason = 'Partner withdrew the order this morning';

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
});

/** Starts the HTTP host and a runtime of its own that inserts workflows into the same database. */
async function startPages(options: { displayPolicy?: DisplayPolicy } = {}) {
  const host = await startHttpHost(database, { auth: workflowHeaderAuth, ...options });
  const boss = await startBoss(database);
  await createWorkflowQueues(boss);
  const runtime = startRuntime(database, database.pool, boss);
  return { host, boss, runtime };
}

function readPreviewId(body: string): string {
  const match = /name="preview" value="([^"]+)"/.exec(body);
  assert.ok(match, 'the preview page has a confirmation form');
  return match[1];
}

describe('workflow pages list', () => {
  test('workflows list filters by state and name', async () => {
    const { host, runtime } = await startPages();
    const ledger = await runtime.insert(diamondPlan());
    const other = await runtime.insert({ name: 'payroll_close', steps: [{ name: 'compute', queue: 'wf_extract' }] });

    const all = await host.request('workflows', { user: testUsers.viewer });
    const byName = await host.request('workflows?name=LEDGER', { user: testUsers.viewer });
    const byState = await host.request('workflows?state=completed', { user: testUsers.viewer });

    assert.equal(all.status, 200);
    assert.ok(all.body.includes(ledger.id), 'the list shows ledger_import');
    assert.ok(all.body.includes(other.id), 'the list shows payroll_close');
    assert.match(all.body, /data-ownership="Powertools-native"/);
    assert.match(all.body, /data-posture="Inspection only"/);
    assert.ok(byName.body.includes(ledger.id), 'the name filter ignores case');
    assert.ok(!byName.body.includes(other.id));
    assert.ok(!byState.body.includes(ledger.id), 'the state filter hides ledger_import');
    assert.ok(!byState.body.includes(other.id), 'the state filter hides payroll_close');
    assert.match(byState.body, /No workflow matches this filter/);
    assert.match(all.body, /<option value="runnable" >runnable \(2\)<\/option>/);
  });

  test('workflows list rejects bad filters with 400', async () => {
    const { host } = await startPages();

    for (const query of ['state=finished', `name=${'x'.repeat(101)}`, 'name=a%00b', 'before=not-an-id']) {
      const response = await host.request(`workflows?${query}`, { user: testUsers.viewer });
      assert.equal(response.status, 400, query);
      assert.doesNotMatch(response.body, /error id/, `${query} is an operator error, not a 500`);
    }
  });

  test('workflows list redirects users without access', async () => {
    const { host } = await startPages();

    const response = await host.request('workflows', { user: testUsers.nobody });

    assert.equal(response.status, 302);
    assert.equal(response.rawLocation, '/');
  });
});

describe('workflow pages detail', () => {
  test('workflow page draws the graph without script', async () => {
    const { host, runtime } = await startPages();
    const { id } = await runtime.insert(diamondPlan());

    const response = await host.request(`workflows/${id}`, { user: testUsers.operator });

    assert.equal(response.status, 200);
    assert.doesNotMatch(response.body, /<script/i);
    assert.match(response.body, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"/);
    for (const [step, state] of [['extract', 'runnable'], ['transform', 'waiting'], ['enrich', 'waiting'], ['load', 'waiting']]) {
      assert.match(response.body, new RegExp(`<a href="#step-${step}" data-step="${step}" data-state="${state}">`), `${step} is drawn ${state}`);
    }
    assert.equal((response.body.match(/marker-end="url\(#arrow\)"/g) ?? []).length, 4, 'one edge per dependency');
    assert.match(response.body, /data-testid="workflow-explanation">extract is queued in pg-boss and waiting for a worker; 0 of 4 steps completed\./);
    assert.match(response.body, /Waiting for transform and enrich to complete; it becomes runnable when the last of them completes\./);
    assert.match(response.body, /data-posture="Audited action"/);
    assert.match(response.body, new RegExp(`href="\\.\\./workflows/${id}/cancel_workflow">Cancel workflow ledger_import`));
  });

  test('workflow page escapes stored text', async () => {
    const { host, runtime } = await startPages();
    const { id } = await runtime.insert({ name: 'escape_check', input: { note: '<img src=x onerror=alert(1)>' }, steps: [{ name: 'extract', queue: 'wf_extract' }] });
    await database.pool.query(`update jobs_powertools.workflow_steps set last_error = $2::jsonb where workflow_id = $1::uuid`, [id, JSON.stringify({ name: 'Error', message: '</text><script>alert(1)</script>' })]);

    const response = await host.request(`workflows/${id}`, { user: testUsers.viewer });

    assert.equal(response.status, 200);
    assert.doesNotMatch(response.body, /<script>alert/);
    assert.doesNotMatch(response.body, /<img src=x/);
    assert.match(response.body, /&lt;\/text&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  test('workflow page shows results through the display policy', async () => {
    const { host, runtime } = await startPages({
      displayPolicy: { display: (kind, value) => (kind === 'workflow_result' ? `[result of ${JSON.stringify(value).length} characters]` : null) },
    });
    await runtime.work('wf_extract', () => ({ secret: 'tok_live_123' }), { pollingIntervalSeconds: 0.5 });
    await runtime.start();
    const { id } = await runtime.insert({ name: 'result_check', steps: [{ name: 'extract', queue: 'wf_extract' }] });
    await waitForStepState(database.pool, id, 'extract', 'completed');

    const response = await host.request(`workflows/${id}`, { user: testUsers.viewer });

    assert.match(response.body, /data-testid="step-result"><code>\[result of 25 characters\]<\/code>/);
    assert.doesNotMatch(response.body, /tok_live_123/);
  });

  test('workflow page is read-only for a viewer', async () => {
    const { host, runtime } = await startPages();
    const { id } = await runtime.insert(diamondPlan());

    const response = await host.request(`workflows/${id}`, { user: testUsers.viewer });

    assert.match(response.body, /Read-only: you can inspect this workflow but not change it/);
    assert.match(response.body, /data-posture="Inspection only"/);
    assert.doesNotMatch(response.body, /cancel_workflow">/);
  });

  test('workflow page bounds its pg-boss reads', async () => {
    const { host, runtime } = await startPages();
    const steps = Array.from({ length: 120 }, (_, index) => ({ name: `part_${index}`, queue: 'wf_extract' }));
    const { id } = await runtime.insert({ name: 'wide_import', steps });

    const response = await host.request(`workflows/${id}`, { user: testUsers.viewer });

    assert.equal(response.status, 200);
    assert.equal((response.body.match(/, now created/g) ?? []).length, 100);
    assert.equal((response.body.match(/its live state was not read, because the page reads at most 100 jobs/g) ?? []).length, 20);
  });

  test('workflow page of an unknown id is 404', async () => {
    const { host } = await startPages();

    for (const id of ['7c1e0a10-0000-4000-8000-00000000abcd', 'not-a-uuid']) {
      const response = await host.request(`workflows/${id}`, { user: testUsers.viewer });
      assert.equal(response.status, 404, id);
      assert.match(response.body, /No workflow has the id/);
    }
  });
});

describe('workflow pages actions', () => {
  test('cancel_workflow through preview and confirm', async () => {
    const { host, runtime } = await startPages();
    const { id } = await runtime.insert(diamondPlan());

    const preview = await host.request(`workflows/${id}/cancel_workflow`, { user: testUsers.operator });
    assert.equal(preview.status, 200);
    assert.match(preview.body, /extract, transform, enrich and load are cancelled now, and their queued pg-boss jobs with them\./);
    const confirm = await host.confirm(`workflows/${id}/cancel_workflow`, { preview: readPreviewId(preview.body), reason });

    assert.equal(confirm.status, 303);
    assert.equal(confirm.location?.pathname, `/ops/jobs/workflows/${id}`);
    assert.equal((await readWorkflow(database.pool, id)).state, 'cancelled');
    const page = await host.request(`workflows/${id}?outcome=performed`, { user: testUsers.operator });
    assert.match(page.body, /Done\. The change and its audit event were committed together\./);
    assert.match(page.body, /ops-demo asked to cancel it at [0-9TZ:-]+ with the reason &quot;Partner withdrew the order this morning&quot;/);
    assert.match(page.body, /<code>cancel_workflow<\/code>/);
    assert.equal((await listAllAuditEvents(database.pool)).length, 1);
  });

  test('cancel of a completed workflow is 409 not 500', async () => {
    const { host, runtime } = await startPages();
    const { id } = await runtime.insert({ name: 'single_step', steps: [{ name: 'extract', queue: 'wf_extract' }] });
    const preview = await host.request(`workflows/${id}/cancel_workflow`, { user: testUsers.operator });
    await runtime.work('wf_extract', () => ({}), { pollingIntervalSeconds: 0.5 });
    await runtime.start();
    await waitForStepState(database.pool, id, 'extract', 'completed');

    const confirm = await host.confirm(`workflows/${id}/cancel_workflow`, { preview: readPreviewId(preview.body), reason });
    const again = await host.request(`workflows/${id}/cancel_workflow`, { user: testUsers.operator });

    assert.equal(confirm.status, 409);
    assert.match(confirm.body, /changed since the preview \(it is now completed\)/);
    assert.equal(again.status, 409);
    assert.match(again.body, /already completed; there is nothing left to cancel/);
    assert.deepEqual(host.events['request:failed'], []);
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('retry_workflow_step refused for a viewer', async () => {
    const { host, runtime } = await startPages();
    const { id } = await runtime.insert(diamondPlan());
    await database.pool.query(`update jobs_powertools.workflow_steps set state = 'blocked' where workflow_id = $1::uuid and name = 'extract'`, [id]);

    const preview = await host.request(`workflows/${id}/steps/extract/retry_workflow_step`, { user: testUsers.viewer });
    const confirm = await host.confirm(`workflows/${id}/steps/extract/retry_workflow_step`, { preview: '7c1e0a10-0000-4000-8000-000000000000', reason }, testUsers.viewer);

    for (const response of [preview, confirm]) {
      assert.equal(response.status, 403);
      assert.match(response.body, /Read-only: you can inspect .* but not use retry_workflow_step/);
    }
    assert.equal((await readSteps(database.pool, id)).extract.state, 'blocked');
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
  });

  test('cancel_workflow_step through the step route', async () => {
    const { host, runtime } = await startPages();
    const { id } = await runtime.insert(diamondPlan());

    const preview = await host.request(`workflows/${id}/steps/extract/cancel_workflow_step`, { user: testUsers.operator });
    assert.match(preview.body, /transform, enrich and load depend on it and can never run, so they are cancelled too\./);
    const confirm = await host.confirm(`workflows/${id}/steps/extract/cancel_workflow_step`, { preview: readPreviewId(preview.body), reason });

    assert.equal(confirm.status, 303);
    assert.equal(confirm.location?.pathname, `/ops/jobs/workflows/${id}`);
    const [event] = await listAllAuditEvents(database.pool);
    assert.equal(event.resource_id, `${id}:extract`);
    const page = await host.request(`workflows/${id}`, { user: testUsers.operator });
    assert.match(page.body, /ops-demo asked to cancel this step at/);
    assert.match(page.body, /Cancelled at [0-9TZ:-]+ because its dependency extract was cancelled, so it could never run\./);
  });
});
