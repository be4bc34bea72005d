import type { WorkflowRow, WorkflowStepRow } from '../../../library/workflows/workflow-rows';

const at = (time: string) => new Date(`2025-06-01T${time}Z`);

/** A stored workflow row with every column set as the current runtime stores it; override what a case needs. */
export function workflowRow(overrides: Partial<WorkflowRow> = {}): WorkflowRow {
  return {
    id: '7c1e0a10-0000-4000-8000-00000000f001',
    name: 'ledger_import',
    idempotency_key: null,
    semantics_version: 2,
    state: 'executing',
    input: {},
    created_at: at('06:00:00'),
    updated_at: at('06:05:00'),
    cancel_requested_at: null,
    settled_at: null,
    plan_digest: 'digest',
    cancel_requested_by: null,
    cancel_reason: null,
    ...overrides,
  };
}

/** A stored step row; `semantics_version` 1 rows should leave the columns 0011 added null. */
export function stepRow(name: string, overrides: Partial<WorkflowStepRow> = {}): WorkflowStepRow {
  return {
    workflow_id: '7c1e0a10-0000-4000-8000-00000000f001',
    name,
    position: 0,
    queue: 'ledger',
    depends_on: [],
    data: {},
    job_options: {},
    semantics_version: 2,
    state: 'waiting',
    job_id: null,
    attempt: 0,
    retry_limit: null,
    result: null,
    last_error: null,
    created_at: at('06:00:00'),
    updated_at: at('06:05:00'),
    started_at: null,
    settled_at: null,
    recovered_at: null,
    recovered_by: null,
    next_attempt_at: null,
    recovery_reason: null,
    cancel_requested_at: null,
    cancel_requested_by: null,
    cancel_reason: null,
    result_bytes: null,
    ...overrides,
  };
}

export { at };
