import type { JobState } from '../pgboss/pg-boss-schema';

/** A job as the list shows it: one row of `pgboss.job`, without its output. */
export interface JobListRow {
  id: string;
  queue: string;
  state: JobState;
  priority: number;
  retry_count: number;
  retry_limit: number;
  singleton_key: string | null;
  data: unknown;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  /** `created_on` in UTC with microseconds, for the page cursor; a Date keeps only milliseconds. */
  created_cursor: string;
}

/** A job as the detail page and the actions read it. */
export interface JobRow extends JobListRow {
  output: unknown;
  policy: string | null;
  retry_delay: number;
  retry_backoff: boolean;
  expire_seconds: number;
  dead_letter: string | null;
  start_after: Date;
  keep_until: Date;
  heartbeat_on: Date | null;
  source_name: string | null;
  source_id: string | null;
  /** Microsecond epochs of the timestamps a fingerprint compares, as text; null while unset. */
  started_micros: string | null;
  completed_micros: string | null;
}

/** The columns of `JobListRow`, selected from `pgboss.job` aliased `j`. */
export const jobListColumns = `j.id::text as id, j.name as queue, j.state::text as state, j.priority, j.retry_count, j.retry_limit,
       j.singleton_key, j.data, j.created_on, j.started_on, j.completed_on,
       to_char(j.created_on at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_cursor`;

/** The columns of `JobRow`, selected from `pgboss.job` aliased `j`. */
export const jobColumns = `${jobListColumns},
       j.output, j.policy, j.retry_delay, j.retry_backoff, j.expire_seconds, j.dead_letter, j.start_after, j.keep_until,
       j.heartbeat_on, j.source_name, j.source_id::text as source_id,
       (extract(epoch from j.started_on) * 1000000)::bigint::text as started_micros,
       (extract(epoch from j.completed_on) * 1000000)::bigint::text as completed_micros`;

/**
 * The state an operator saw in a preview; a confirmation acts only if the job still has it.
 * Retrying bumps `retry_limit`, each fetch bumps `retry_count` and stamps `started_on`, and
 * every settle stamps `completed_on`, so a job that went round again never matches.
 */
export function fingerprintJob(job: JobRow | null): Record<string, unknown> {
  if (!job) return { state: 'deleted' };
  return {
    state: job.state,
    retry_count: job.retry_count,
    retry_limit: job.retry_limit,
    started_on: job.started_micros,
    completed_on: job.completed_micros,
  };
}
