import { EventEmitter } from 'node:events';

import type { Logger } from '../seams';

/**
 * Every event the workflow runtime emits, with its payload. Payloads carry ids, names, states
 * and attempt numbers, never workflow input, step data or results.
 */
export interface WorkflowEventMap {
  'workflow:inserted': [{ workflowId: string; name: string; steps: number; created: boolean }];
  'workflow:state_changed': [{ workflowId: string; from: string; to: string }];
  'workflow:step_released': [{ workflowId: string; step: string; queue: string; jobId: string }];
  'workflow:step_started': [{ workflowId: string; step: string; attempt: number; jobId: string }];
  'workflow:step_settled': [{ workflowId: string; step: string; state: string; attempt: number; jobId: string }];
  'workflow:step_failed': [{ workflowId: string; step: string; state: string; attempt: number; jobId: string; error: unknown }];
  'workflow:job_skipped': [{ queue: string; jobId: string; why: string }];
  'workflow:late_outcome': [{ workflowId: string; step: string; attempt: number; jobId: string; why: string }];
  'workflow:reconciled': [{ workflowId: string; step: string; from: string; to: string; jobState: string }];
  'workflow:reconcile_failed': [{ error: unknown }];
  'workflow:settle_failed': [{ workflowId: string; step: string; attempt: number; jobId: string; error: unknown }];
  'workflow:runtime_started': [{ queues: string[]; reconcileIntervalSeconds: number }];
  'workflow:runtime_stopped': [Record<string, never>];
}

export type WorkflowEvents = EventEmitter<WorkflowEventMap>;

export function makeWorkflowEvents(): WorkflowEvents {
  return new EventEmitter<WorkflowEventMap>();
}

/** Logs the workflow runtime through the host's logger: routine transitions at debug, outcomes at info, failures at warn and error. */
export function subscribeWorkflowLogger(events: WorkflowEvents, logger: Logger): void {
  events.on('workflow:inserted', (event) => logger.info({ event: 'workflow:inserted', ...event }, event.created ? `workflow ${event.workflowId} inserted` : `workflow ${event.workflowId} returned for a repeated idempotency key`));
  events.on('workflow:state_changed', (event) => logger.info({ event: 'workflow:state_changed', ...event }, `workflow ${event.workflowId} is ${event.to}`));
  events.on('workflow:step_released', (event) => logger.debug({ event: 'workflow:step_released', ...event }, `workflow step ${event.step} released`));
  events.on('workflow:step_started', (event) => logger.debug({ event: 'workflow:step_started', ...event }, `workflow step ${event.step} attempt ${event.attempt} started`));
  events.on('workflow:step_settled', (event) => logger.info({ event: 'workflow:step_settled', ...event }, `workflow step ${event.step} is ${event.state}`));
  events.on('workflow:step_failed', ({ error, ...event }) => logger.warn({ event: 'workflow:step_failed', ...event, err: error }, `workflow step ${event.step} attempt ${event.attempt} failed; it is ${event.state}`));
  events.on('workflow:job_skipped', (event) => logger.warn({ event: 'workflow:job_skipped', ...event }, `job ${event.jobId} on ${event.queue} was not run: ${event.why}`));
  events.on('workflow:late_outcome', (event) => logger.warn({ event: 'workflow:late_outcome', ...event }, `outcome of workflow step ${event.step} attempt ${event.attempt} discarded: ${event.why}`));
  events.on('workflow:reconciled', (event) => logger.info({ event: 'workflow:reconciled', ...event }, `workflow step ${event.step} reconciled from ${event.from} to ${event.to} (pg-boss job ${event.jobState})`));
  events.on('workflow:reconcile_failed', ({ error }) => logger.error({ event: 'workflow:reconcile_failed', err: error }, 'workflow reconcile pass failed; retrying next pass'));
  events.on('workflow:settle_failed', ({ error, ...event }) => logger.error({ event: 'workflow:settle_failed', ...event, err: error }, `recording the outcome of workflow step ${event.step} attempt ${event.attempt} failed; the reconciler will correct the step from pg-boss`));
  events.on('workflow:runtime_started', (event) => logger.info({ event: 'workflow:runtime_started', ...event }, 'workflow runtime started'));
  events.on('workflow:runtime_stopped', () => logger.info({ event: 'workflow:runtime_stopped' }, 'workflow runtime stopped'));
}
