import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { explainWorkflow, explainWorkflowStep } from '../../library';
import { at, stepRow, workflowRow } from './support/workflow-rows';

const jobId = '7c1e0a10-0000-4000-8000-0000000000aa';
const v1 = { semantics_version: 1, plan_digest: null } as const;
const completedExtract = stepRow('extract', { state: 'completed', attempt: 1, settled_at: at('06:01:00'), job_id: jobId });

describe('explainWorkflowStep current semantics', () => {
  const cases: Array<[string, Parameters<typeof stepRow>[1], string, string | null]> = [
    ['waiting', { state: 'waiting', depends_on: ['extract'] }, 'Waiting for extract to complete; it becomes runnable when the last of them completes.', null],
    ['runnable', { state: 'runnable', job_id: jobId }, `Queued as pg-boss job ${jobId} on queue ledger; a worker starts attempt 1 when one is free.`, null],
    ['runnable without job', { state: 'runnable' }, 'Runnable on queue ledger, but no pg-boss job is recorded for it, so whether it will run is unknown. Retry it (retry_workflow_step) to queue a job.', 'unknown'],
    ['executing', { state: 'executing', attempt: 2, job_id: jobId, started_at: at('06:02:00') }, `Attempt 2 started at 2025-06-01T06:02:00Z on job ${jobId} (queue ledger); it settles when the handler returns or when pg-boss expires the attempt.`, null],
    ['retrying', { state: 'retrying', attempt: 1, job_id: jobId, next_attempt_at: at('06:10:00'), last_error: { name: 'Error', message: 'ledger locked' } }, `Attempt 1 failed with "ledger locked"; pg-boss starts attempt 2 on job ${jobId} at 2025-06-01T06:10:00Z.`, null],
    ['blocked', { state: 'blocked', attempt: 3, last_error: { name: 'Error', message: 'ledger locked' } }, 'Attempt 3 failed with "ledger locked" and pg-boss has no retries left, so the step waits for an operator: retry it (retry_workflow_step) or cancel it (cancel_workflow_step).', null],
    ['blocked without error', { state: 'blocked', attempt: 1 }, 'Attempt 1 failed (its error was not recorded) and pg-boss has no retries left, so the step waits for an operator: retry it (retry_workflow_step) or cancel it (cancel_workflow_step).', 'unknown'],
    ['cancelling', { state: 'cancelling', attempt: 1, cancel_requested_at: at('06:03:00'), cancel_requested_by: 'ops-demo', cancel_reason: 'wrong ledger' }, 'ops-demo asked to cancel this step at 2025-06-01T06:03:00Z with the reason "wrong ledger". Attempt 1 is still running, and the step settles as cancelled when it returns or pg-boss expires it.', null],
    ['cancelled by operator', { state: 'cancelled', settled_at: at('06:04:00'), cancel_requested_at: at('06:04:00'), cancel_requested_by: 'ops-demo', cancel_reason: 'wrong ledger' }, 'Cancelled at 2025-06-01T06:04:00Z. ops-demo asked to cancel this step at 2025-06-01T06:04:00Z with the reason "wrong ledger".', null],
    ['completed', { state: 'completed', attempt: 1, settled_at: at('06:04:00') }, 'Completed at 2025-06-01T06:04:00Z on attempt 1.', null],
    ['recovered', { state: 'recovered', attempt: 2, settled_at: at('06:09:00'), recovered_at: at('06:08:00'), recovered_by: 'ops-demo', recovery_reason: 'lock released' }, 'Completed at 2025-06-01T06:09:00Z on attempt 2, after an operator recovered it: ops-demo retried it at 2025-06-01T06:08:00Z with the reason "lock released".', null],
    ['unknown state', { state: 'paused', job_id: jobId }, `Its stored state "paused" is not one this library version knows (semantics version 2), so what it means is unknown; inspect pg-boss job ${jobId} before acting.`, 'unknown'],
  ];

  for (const [label, overrides, sentence, evidence] of cases) {
    test(`explainWorkflowStep ${label}`, () => {
      const step = stepRow('load', overrides);

      // The waiting case needs its dependency still running; every other case has it completed.
      const extract = label === 'waiting' ? { ...completedExtract, state: 'executing' } : completedExtract;

      const explanation = explainWorkflowStep(step, workflowRow(), [extract, step]);

      assert.equal(explanation.sentence, sentence);
      assert.equal(explanation.evidence, evidence);
    });
  }

  test('explainWorkflowStep names a blocked dependency', () => {
    const blocked = stepRow('extract', { state: 'blocked' });
    const waiting = stepRow('load', { depends_on: ['extract'] });

    assert.equal(explainWorkflowStep(waiting, workflowRow(), [blocked, waiting]).sentence, 'Waiting for extract to complete; it becomes runnable when the last of them completes. extract is blocked, so resolve it first.');
  });

  test('explainWorkflowStep cancelled with its dependency', () => {
    const cancelled = stepRow('extract', { state: 'cancelled', cancel_requested_by: 'ops-demo' });
    const dependent = stepRow('load', { state: 'cancelled', depends_on: ['extract'], settled_at: at('06:04:00') });

    assert.equal(explainWorkflowStep(dependent, workflowRow(), [cancelled, dependent]).sentence, 'Cancelled at 2025-06-01T06:04:00Z because its dependency extract was cancelled, so it could never run.');
  });

  test('explainWorkflowStep passes values through show', () => {
    const step = stepRow('load', { state: 'blocked', attempt: 1, last_error: { name: 'Error', message: 'token=abc' } });

    const explanation = explainWorkflowStep(step, workflowRow(), [step], (kind) => `[${kind} hidden]`);

    assert.match(explanation.sentence, /failed with "\[job_error hidden\]"/);
    assert.doesNotMatch(explanation.sentence, /token=abc/);
  });
});

describe('explainWorkflowStep semantics version 1', () => {
  test('explainWorkflowStep v1 stranded waiting', () => {
    const step = stepRow('load', { ...v1, depends_on: ['extract'] });

    const explanation = explainWorkflowStep(step, workflowRow({ ...v1, state: 'waiting' }), [completedExtract, step]);

    assert.equal(explanation.sentence, 'Its dependencies extract all completed, but it was never released: semantics version 1 released steps in a separate pass, which this version no longer runs. Retry it (retry_workflow_step) to run it now, or cancel it (cancel_workflow_step).');
    assert.equal(explanation.evidence, null);
  });

  test('explainWorkflowStep v2 stranded waiting is unknown', () => {
    const step = stepRow('load', { depends_on: ['extract'] });

    const explanation = explainWorkflowStep(step, workflowRow(), [completedExtract, step]);

    assert.match(explanation.sentence, /which the current runtime never stores; why is unknown/);
    assert.equal(explanation.evidence, 'unknown');
  });

  test('explainWorkflowStep v1 retrying has unknown time', () => {
    const step = stepRow('load', { ...v1, state: 'retrying', attempt: 2, job_id: jobId, last_error: { name: 'Error', message: '503' } });

    const explanation = explainWorkflowStep(step, workflowRow({ ...v1, state: 'retrying' }), [step]);

    assert.equal(explanation.sentence, `Attempt 2 failed with "503"; pg-boss retries it on job ${jobId}, but semantics version 1 did not record when, so the next attempt time is unknown.`);
    assert.equal(explanation.evidence, 'unknown');
  });

  test('explainWorkflowStep v1 executing in a cancelling workflow', () => {
    const step = stepRow('load', { ...v1, state: 'executing', attempt: 1 });
    const workflow = workflowRow({ ...v1, state: 'cancelling', cancel_requested_at: at('06:15:00') });

    const explanation = explainWorkflowStep(step, workflow, [step]);

    assert.equal(explanation.sentence, 'A cancel was requested at 2025-06-01T06:15:00Z, but semantics version 1 did not record who asked or why. Attempt 1 is still running, and the step settles as cancelled when it returns or pg-boss expires it.');
    assert.equal(explanation.evidence, 'history unavailable');
  });

  test('explainWorkflowStep v1 recovered lacks the reason', () => {
    const step = stepRow('load', { ...v1, state: 'recovered', attempt: 3, settled_at: at('07:20:00'), recovered_at: at('07:10:00'), recovered_by: 'ops-lead' });

    const explanation = explainWorkflowStep(step, workflowRow({ ...v1, state: 'recovered' }), [step]);

    assert.equal(explanation.sentence, 'Completed at 2025-06-01T07:20:00Z on attempt 3, after an operator recovered it: ops-lead retried it at 2025-06-01T07:10:00Z; semantics version 1 did not record why.');
    assert.equal(explanation.evidence, 'partial evidence');
  });

  test('explainWorkflowStep v1 cancelled with the workflow', () => {
    const step = stepRow('load', { ...v1, state: 'cancelled', settled_at: at('06:15:00') });
    const workflow = workflowRow({ ...v1, state: 'cancelling', cancel_requested_at: at('06:15:00') });

    const explanation = explainWorkflowStep(step, workflow, [step]);

    assert.equal(explanation.sentence, 'Cancelled at 2025-06-01T06:15:00Z with the workflow, whose cancel was requested at 2025-06-01T06:15:00Z; semantics version 1 did not record who asked or why.');
    assert.equal(explanation.evidence, 'history unavailable');
  });
});

describe('explainWorkflow', () => {
  const extract = (overrides: Parameters<typeof stepRow>[1]) => stepRow('extract', overrides);
  const load = (overrides: Parameters<typeof stepRow>[1]) => stepRow('load', { depends_on: ['extract'], ...overrides });

  const cases: Array<[string, Parameters<typeof workflowRow>[0], ReturnType<typeof stepRow>[], string, string | null]> = [
    ['runnable', { state: 'runnable' }, [extract({ state: 'runnable' }), load({})], 'extract is queued in pg-boss and waiting for a worker; 0 of 2 steps completed.', null],
    ['executing', { state: 'executing' }, [extract({ state: 'executing' }), load({})], 'Executing extract; 0 of 2 steps completed.', null],
    ['retrying', { state: 'retrying' }, [extract({ state: 'retrying', next_attempt_at: at('06:10:00'), last_error: { name: 'Error', message: 'locked' } }), load({})], 'Retrying extract (last error: "locked"); the next attempt starts at 2025-06-01T06:10:00Z; 0 of 2 steps completed.', null],
    ['blocked', { state: 'blocked' }, [extract({ state: 'blocked' }), load({})], 'Blocked: extract has no retries left and waits for an operator to retry (retry_workflow_step) or cancel (cancel_workflow_step); 0 of 2 steps completed.', null],
    ['cancelling', { state: 'cancelling', cancel_requested_at: at('06:03:00'), cancel_requested_by: 'ops-demo', cancel_reason: 'wrong ledger' }, [extract({ state: 'cancelling' }), load({ state: 'cancelled' })], 'ops-demo asked to cancel it at 2025-06-01T06:03:00Z with the reason "wrong ledger"; waiting for extract to return before it settles as cancelled. No new step starts.', null],
    ['cancelled', { state: 'cancelled', settled_at: at('06:04:00'), cancel_requested_at: at('06:03:00'), cancel_requested_by: 'ops-demo', cancel_reason: 'wrong ledger' }, [extract({ state: 'completed' }), load({ state: 'cancelled' })], 'Cancelled at 2025-06-01T06:04:00Z with 1 of 2 steps completed; ops-demo asked to cancel it at 2025-06-01T06:03:00Z with the reason "wrong ledger".', null],
    ['completed', { state: 'completed', settled_at: at('06:04:00') }, [extract({ state: 'completed' }), load({ state: 'completed' })], 'Completed at 2025-06-01T06:04:00Z: all 2 steps completed.', null],
    ['recovered', { state: 'recovered', settled_at: at('06:09:00') }, [extract({ state: 'recovered', recovered_at: at('06:08:00'), recovered_by: 'ops-demo', recovery_reason: 'lock released' }), load({ state: 'completed' })], 'Completed at 2025-06-01T06:09:00Z after an operator recovered extract: all 2 steps completed.', null],
    ['v1 waiting', { ...v1, state: 'waiting' }, [extract({ ...v1, state: 'completed' }), load({ ...v1 })], 'Nothing is running: load had every dependency completed but was never released, because semantics version 1 released steps in a separate pass, which this version no longer runs. Retry load (retry_workflow_step) to continue, or cancel the workflow (cancel_workflow); 1 of 2 steps completed.', null],
    ['v1 retrying', { ...v1, state: 'retrying' }, [extract({ ...v1, state: 'retrying', last_error: { name: 'Error', message: '503' } }), load({ ...v1 })], 'Retrying extract (last error: "503"); pg-boss holds the next attempt, but semantics version 1 did not record when it runs, so that time is unknown; 0 of 2 steps completed.', 'unknown'],
    ['v1 cancelling', { ...v1, state: 'cancelling', cancel_requested_at: at('06:15:00') }, [extract({ ...v1, state: 'executing' }), load({ ...v1, state: 'cancelled' })], 'A cancel was requested at 2025-06-01T06:15:00Z, but semantics version 1 did not record who asked or why; waiting for extract to return before it settles as cancelled. No new step starts.', 'history unavailable'],
    ['v1 recovered', { ...v1, state: 'recovered', settled_at: at('07:30:00') }, [extract({ ...v1, state: 'recovered', recovered_at: at('07:10:00'), recovered_by: 'ops-lead' }), load({ ...v1, state: 'completed' })], 'Completed at 2025-06-01T07:30:00Z after an operator recovered extract: all 2 steps completed. Semantics version 1 did not record why it was retried.', 'partial evidence'],
    ['v1 cancelled', { ...v1, state: 'cancelled', settled_at: at('06:20:00') }, [extract({ ...v1, state: 'cancelled' }), load({ ...v1, state: 'cancelled' })], 'Cancelled at 2025-06-01T06:20:00Z with 0 of 2 steps completed; semantics version 1 did not record who asked or why.', 'history unavailable'],
    ['unknown state', { state: 'archived' }, [extract({ state: 'completed' })], 'Its stored state "archived" is not one this library version knows (semantics version 2), so what it means is unknown; check its steps before acting.', 'unknown'],
    ['no steps', { state: 'executing' }, [], 'The workflow is executing, but none of its steps are stored, so its progress is unknown.', 'unknown'],
  ];

  for (const [label, overrides, steps, sentence, evidence] of cases) {
    test(`explainWorkflow ${label}`, () => {
      const explanation = explainWorkflow(workflowRow(overrides), steps);

      assert.equal(explanation.sentence, sentence);
      assert.equal(explanation.evidence, evidence);
    });
  }
});
