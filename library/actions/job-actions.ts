import type { PgBoss } from 'pg-boss';

import { makePgBossExecutor } from '../db/pg-boss-executor';
import type { Queryable } from '../db/with-transaction';
import { fingerprintJob, type JobRow } from '../jobs/job-row';
import { parseJobResourceId } from '../jobs/job-resource-id';
import { findJob } from '../jobs/sql/find-job';
import { readAffectedCount } from '../pgboss/read-affected-count';
import type { ActionContext, ActionDefinition } from './action-definition';

/**
 * A job an action targets. `job` is null when no job has the id: under the confirmation's
 * lock that reads as the state "deleted", so a job removed since the preview is a conflict
 * (409) rather than a missing page.
 */
export interface JobTarget {
  queue: string;
  id: string;
  job: JobRow | null;
}

/** Reads the target of a job action from its resource id `<queue>/<uuid>`; null when malformed. */
async function loadJobTarget(db: Queryable, resourceId: string, options: { forUpdate: boolean }): Promise<JobTarget | null> {
  const parsed = parseJobResourceId(resourceId);
  if (!parsed) return null;
  const job = await findJob(db, parsed.queue, parsed.id, options);
  return { ...parsed, job };
}

// Shared by every single-job action: how the target is read, compared and named.
const jobTarget = {
  resourceType: 'job',
  load: loadJobTarget,
  fingerprint: (target) => fingerprintJob(target.job),
  describeState: (target) => target.job?.state ?? 'deleted',
} satisfies Pick<ActionDefinition<JobTarget>, 'resourceType' | 'load' | 'fingerprint' | 'describeState'>;

function describeMissing(target: JobTarget): string {
  return `Job ${target.id} does not exist in queue ${target.queue}; it may have been deleted, or removed by pg-boss retention.`;
}

/**
 * Runs one pg-boss command inside the confirming transaction and returns what the audit event
 * records, or null when pg-boss changed nothing, which the caller reports as a conflict.
 */
async function applyPgBossCommand(
  context: ActionContext,
  target: JobTarget,
  command: (boss: PgBoss, options: { db: ReturnType<typeof makePgBossExecutor> }) => ReturnType<PgBoss['retry']>,
): Promise<Record<string, unknown> | null> {
  const affected = readAffectedCount(await command(context.boss, { db: makePgBossExecutor(context.client) }));
  if (affected !== 1) return null;

  const after = await findJob(context.client, target.queue, target.id);
  return { queue: target.queue, job_id: target.id, after: fingerprintJob(after) };
}

export const retryJobAction: ActionDefinition<JobTarget> = {
  ...jobTarget,
  name: 'retry_job',
  verb: 'Retry',
  findInapplicability: (target) => {
    if (!target.job) return describeMissing(target);
    return target.job.state === 'failed' ? null : `Job ${target.id} is ${target.job.state}; only failed jobs can be retried.`;
  },
  describeChange: ({ queue, job }) => [
    `The job moves from failed to retry in queue ${queue}, and a worker runs it once it is due.`,
    `pg-boss raises its retry limit from ${job?.retry_limit} to ${(job?.retry_limit ?? 0) + 1} so the new attempt is allowed; it has been retried ${job?.retry_count} time(s) so far.`,
    'Its data is unchanged. The last error stays on the job until the next attempt settles.',
  ],
  apply: (context, target) => applyPgBossCommand(context, target, (boss, options) => boss.retry(target.queue, target.id, options)),
};

export const cancelJobAction: ActionDefinition<JobTarget> = {
  ...jobTarget,
  name: 'cancel_job',
  verb: 'Cancel',
  findInapplicability: (target) => {
    if (!target.job) return describeMissing(target);
    const { state } = target.job;
    return state === 'created' || state === 'retry' || state === 'active' ? null : `Job ${target.id} is ${state}; only created, retry and active jobs can be cancelled.`;
  },
  describeChange: ({ queue, job }) => [
    `The job moves from ${job?.state} to cancelled in queue ${queue}; no worker fetches it again unless an operator resumes it.`,
    job?.state === 'active'
      ? 'A worker is running it now. pg-boss does not interrupt the handler, but its later completion or failure no longer changes the job.'
      : 'No worker is running it now.',
  ],
  apply: (context, target) => applyPgBossCommand(context, target, (boss, options) => boss.cancel(target.queue, target.id, options)),
};

export const resumeJobAction: ActionDefinition<JobTarget> = {
  ...jobTarget,
  name: 'resume_job',
  verb: 'Resume',
  findInapplicability: (target) => {
    if (!target.job) return describeMissing(target);
    return target.job.state === 'cancelled' ? null : `Job ${target.id} is ${target.job.state}; only cancelled jobs can be resumed.`;
  },
  describeChange: ({ queue }) => [
    `The job moves from cancelled to created in queue ${queue}, and a worker runs it once it is due (now, unless it was scheduled later).`,
    'Its data, retry count and retry limit are unchanged.',
  ],
  apply: (context, target) => applyPgBossCommand(context, target, (boss, options) => boss.resume(target.queue, target.id, options)),
};

export const deleteJobAction: ActionDefinition<JobTarget> = {
  ...jobTarget,
  name: 'delete_job',
  verb: 'Delete',
  findInapplicability: (target) => {
    if (!target.job) return describeMissing(target);
    // Deleting a running job would leave its worker settling a row that no longer exists.
    return target.job.state === 'active' ? `Job ${target.id} is active: a worker is running it. Cancel it first, or wait until it settles.` : null;
  },
  describeChange: ({ queue, job }) => [
    `The ${job?.state} job is deleted from queue ${queue} for good: its data, output and errors cannot be recovered.`,
    'The audit event keeps its id, queue and the state it had.',
  ],
  apply: (context, target) => applyPgBossCommand(context, target, (boss, options) => boss.deleteJob(target.queue, target.id, options)),
};

/** The audited actions on one job, by name. */
export const jobActions: Record<string, ActionDefinition<JobTarget>> = {
  retry_job: retryJobAction,
  cancel_job: cancelJobAction,
  resume_job: resumeJobAction,
  delete_job: deleteJobAction,
};
