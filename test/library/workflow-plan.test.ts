import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { WorkflowPlanError } from '../../library';
import { validateWorkflowPlan, type WorkflowPlan } from '../../library/workflows/workflow-plan';

function rejects(plan: unknown, message: RegExp): void {
  assert.throws(() => validateWorkflowPlan(plan as WorkflowPlan), (error: unknown) => {
    assert.ok(error instanceof WorkflowPlanError, `expected WorkflowPlanError, got ${String(error)}`);
    assert.ok(error instanceof TypeError, 'a plan error is a programmer mistake, so a TypeError');
    assert.match(error.message, message);
    return true;
  });
}

describe('validateWorkflowPlan', () => {
  test('validateWorkflowPlan accepts a diamond', () => {
    const plan = validateWorkflowPlan({
      name: 'ledger_import',
      idempotencyKey: 'k1',
      steps: [
        { name: 'a', queue: 'q' },
        { name: 'b', queue: 'q', dependsOn: ['a'], retryLimit: 3, retryBackoff: true },
        { name: 'c', queue: 'q', dependsOn: ['a', 'a'] },
        { name: 'd', queue: 'q', dependsOn: ['b', 'c'], data: { table: 'invoices' } },
      ],
    });

    assert.deepEqual(plan.steps.map((step) => step.name), ['a', 'b', 'c', 'd']);
    assert.deepEqual(plan.steps[2].dependsOn, ['a'], 'a repeated dependency counts once');
    assert.deepEqual(plan.steps[1].jobOptions, { retryLimit: 3, retryBackoff: true });
    assert.equal(plan.idempotencyKey, 'k1');
    assert.match(plan.digest, /^[0-9a-f]{64}$/);
  });

  test('validateWorkflowPlan digest ignores the key', () => {
    const steps = [{ name: 'a', queue: 'q' }];

    assert.equal(validateWorkflowPlan({ name: 'w', steps, idempotencyKey: 'x' }).digest, validateWorkflowPlan({ name: 'w', steps, idempotencyKey: 'y' }).digest);
    assert.notEqual(validateWorkflowPlan({ name: 'w', steps }).digest, validateWorkflowPlan({ name: 'w', steps, input: { n: 1 } }).digest);
  });

  test('validateWorkflowPlan names duplicate steps', () => {
    rejects({ name: 'w', steps: [{ name: 'a', queue: 'q' }, { name: 'b', queue: 'q' }, { name: 'a', queue: 'q' }, { name: 'b', queue: 'q' }] }, /names these steps more than once: a, b\./);
  });

  test('validateWorkflowPlan names unknown dependencies', () => {
    rejects(
      { name: 'w', steps: [{ name: 'a', queue: 'q', dependsOn: ['ghost'] }, { name: 'b', queue: 'q', dependsOn: ['a', 'phantom'] }] },
      /dependencies on unknown steps: a depends on ghost; b depends on phantom\. Known steps: a, b\./,
    );
  });

  test('validateWorkflowPlan names a cycle in run order', () => {
    rejects({ name: 'w', steps: [{ name: 'a', queue: 'q', dependsOn: ['c'] }, { name: 'b', queue: 'q', dependsOn: ['a'] }, { name: 'c', queue: 'q', dependsOn: ['b'] }] }, /dependency cycle: a -> b -> c -> a\./);
  });

  test('validateWorkflowPlan rejects a self dependency', () => {
    rejects({ name: 'w', steps: [{ name: 'a', queue: 'q', dependsOn: ['a'] }] }, /dependency cycle: a -> a\./);
  });

  test('validateWorkflowPlan rejects malformed plans', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /must be an object with name and steps, got null/],
      [{ name: 'bad name!', steps: [{ name: 'a', queue: 'q' }] }, /Workflow name "bad name!" is invalid/],
      [{ name: 'w', steps: [] }, /has no steps/],
      [{ name: 'w', steps: [{ name: 'a:b', queue: 'q' }] }, /step name "a:b" is invalid/],
      [{ name: 'w', steps: [{ name: 'a' }] }, /step a needs a queue/],
      [{ name: 'w', steps: [{ name: 'a', queue: 'q', retryLimit: -1 }] }, /option retryLimit must be a whole number of 0 or more, got -1/],
      [{ name: 'w', steps: [{ name: 'a', queue: 'q', retryBackoff: 'yes' }] }, /option retryBackoff must be true or false/],
      [{ name: 'w', steps: [{ name: 'a', queue: 'q', data: [1] }] }, /step a data must be a JSON object, got an array/],
      [{ name: 'w', input: { total: BigInt(1) }, steps: [{ name: 'a', queue: 'q' }] }, /input is not JSON/],
      [{ name: 'w', idempotencyKey: '', steps: [{ name: 'a', queue: 'q' }] }, /idempotencyKey must be a string of 1 to 200 characters/],
      [{ name: 'w', steps: Array.from({ length: 501 }, (_, index) => ({ name: `s${index}`, queue: 'q' })) }, /has 501 steps; the maximum is 500/],
    ];
    for (const [plan, message] of cases) rejects(plan, message);
  });
});
