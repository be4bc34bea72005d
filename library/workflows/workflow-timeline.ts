import { evidenceLabels } from '../http/render-page';
import { semanticsV1 } from './explain-workflow-step';
import type { WorkflowStepEventRow, WorkflowStepRow } from './workflow-rows';

/** One line of a step's timeline. */
export interface TimelineEntry {
  at: Date;
  state: string;
  attempt: number | null;
  jobId: string | null;
  action: string | null;
  actorLabel: string | null;
  error: string | null;
  /** Other facts of the entry in words, such as "released when extract completed". */
  note: string | null;
}

export interface StepTimeline {
  entries: TimelineEntry[];
  /** Set when the entries are rebuilt from row timestamps instead of recorded transitions. */
  evidence: (typeof evidenceLabels)[keyof typeof evidenceLabels] | null;
  evidenceNote: string | null;
}

/**
 * Builds each step's timeline. Steps stored under semantics version 2 have one recorded event
 * per transition. Version 1 recorded none, so their timeline is rebuilt from the timestamps on
 * the row and labelled partial evidence. A version 2 step without events is history unavailable.
 */
export function buildStepTimelines(steps: WorkflowStepRow[], events: WorkflowStepEventRow[]): Map<string, StepTimeline> {
  const timelines = new Map<string, StepTimeline>();
  for (const step of steps) {
    const recorded = events.filter((event) => event.step_name === step.name).map(toEntry);
    if (recorded.length > 0 || step.semantics_version > semanticsV1) {
      timelines.set(step.name, { entries: recorded, evidence: recorded.length > 0 ? null : evidenceLabels.unavailable, evidenceNote: recorded.length > 0 ? null : 'No transition of this step was recorded.' });
      continue;
    }
    timelines.set(step.name, rebuildVersion1Timeline(step, recorded));
  }
  return timelines;
}

/** Lists the workflow's own events: state changes and cancel requests. */
export function listWorkflowEntries(events: WorkflowStepEventRow[]): TimelineEntry[] {
  return events.filter((event) => event.step_name === null).map(toEntry);
}

function rebuildVersion1Timeline(step: WorkflowStepRow, recorded: TimelineEntry[]): StepTimeline {
  const rebuilt: TimelineEntry[] = [
    { at: step.created_at, state: step.depends_on.length > 0 ? 'waiting' : 'runnable', attempt: 0, jobId: null, action: null, actorLabel: null, error: null, note: 'inserted' },
  ];
  if (step.started_at) rebuilt.push({ at: step.started_at, state: 'executing', attempt: step.attempt, jobId: step.job_id, action: null, actorLabel: null, error: null, note: `latest attempt started; earlier attempts were not recorded` });
  if (step.recovered_at) rebuilt.push({ at: step.recovered_at, state: 'runnable', attempt: null, jobId: null, action: 'retry_workflow_step', actorLabel: step.recovered_by, error: null, note: 'retried by an operator; the reason was not recorded' });
  if (step.settled_at) rebuilt.push({ at: step.settled_at, state: step.state, attempt: step.attempt, jobId: step.job_id, action: null, actorLabel: null, error: null, note: 'settled' });
  const lastChangeShown = rebuilt.some((entry) => entry.at.getTime() === step.updated_at.getTime() && entry.state === step.state);
  if (!lastChangeShown || step.last_error) {
    rebuilt.push({ at: step.updated_at, state: step.state, attempt: step.attempt, jobId: step.job_id, action: null, actorLabel: null, error: step.last_error?.message ?? null, note: 'last stored change' });
  }

  rebuilt.sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    entries: [...rebuilt, ...recorded],
    evidence: evidenceLabels.partial,
    evidenceNote: 'Stored under semantics version 1, which kept no timeline: these lines are rebuilt from the timestamps on the step row.',
  };
}

function toEntry(event: WorkflowStepEventRow): TimelineEntry {
  const detail = event.detail ?? {};
  const error = detail.error && typeof detail.error === 'object' ? (detail.error as { message?: unknown }).message : null;
  return {
    at: event.occurred_at,
    state: event.state,
    attempt: event.attempt,
    jobId: event.job_id,
    action: event.action,
    actorLabel: event.actor_label,
    error: typeof error === 'string' ? error : null,
    note: describeDetail(detail),
  };
}

function describeDetail(detail: Record<string, unknown>): string | null {
  if (typeof detail.released_by === 'string') return `released when ${detail.released_by} completed`;
  if (Array.isArray(detail.waiting_for)) return `inserted, waiting for ${detail.waiting_for.join(', ')}`;
  if (detail.queued_on_insert === true) return 'inserted and queued';
  if (typeof detail.late_outcome === 'string') return `late outcome discarded: ${String(detail.why)}`;
  if (typeof detail.reconciled_from === 'string') return `corrected from ${detail.reconciled_from} after pg-boss reported the job ${String(detail.job_state)}`;
  if (typeof detail.cancelled_with === 'string') return `cancelled because ${detail.cancelled_with} was cancelled`;
  if (typeof detail.next_attempt_at === 'string') return `next attempt at ${detail.next_attempt_at.replace(/\.\d{3}Z$/, 'Z')}`;
  if (typeof detail.result_bytes === 'number') return `result stored (${detail.result_bytes} bytes)`;
  if (typeof detail.from === 'string') return `from ${detail.from}`;
  return null;
}
