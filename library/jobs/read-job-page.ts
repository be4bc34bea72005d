import type { Pool } from 'pg';

import { formatJobCursor, type JobCursor } from './job-cursor';
import type { JobFilter } from './job-filter';
import type { JobListRow } from './job-row';
import { runWithStatementTimeout } from './run-with-statement-timeout';
import { countJobs } from './sql/count-jobs';
import { listJobs } from './sql/list-jobs';

export const jobPageSize = 50;
/** Counts stop here: "10,000+" is all an operator needs to know that a selection is large. */
export const jobCountCap = 10_000;
const listTimeoutMs = 5_000;
export const jobCountTimeoutMs = 2_000;

/**
 * How many jobs match: exact up to the cap, "more than the cap", unknown after a timeout, or
 * not counted because the caller did not ask for a count no index can bound.
 */
export type JobCount =
  | { kind: 'exact'; value: number }
  | { kind: 'capped'; cap: number }
  | { kind: 'unknown'; timeoutMs: number }
  | { kind: 'not_counted' };

export interface JobPage {
  jobs: JobListRow[];
  /** The cursor of the next page, or null on the last page. */
  nextCursor: string | null;
  count: JobCount;
  /** Set when the list query was stopped by its timeout; `jobs` is then empty. */
  listTimeoutMs: number | null;
}

/**
 * Returns whether counting the jobs that match `filter` reads at most about the cap's worth of rows.
 * No pg-boss index covers job data, so a count with a data filter that matches rarely reads
 * every job of the selected queues: about 130 ms for 300,000 jobs (bench/native-pages.ts data), and
 * linear beyond. Such a count runs only when the operator asks for it.
 */
export function isCountBounded(filter: JobFilter): boolean {
  return filter.data === null;
}

/**
 * Reads one page of jobs and, when `count` is set, the capped count of all matching jobs, in
 * parallel on two connections, each bounded by a statement timeout. `queues` are the queues
 * the filter covers, already resolved against the queue table.
 */
export async function readJobPage(pool: Pool, request: { queues: string[]; filter: JobFilter; cursor: JobCursor | null; count: boolean }): Promise<JobPage> {
  const { queues, filter, cursor } = request;
  if (queues.length === 0) return { jobs: [], nextCursor: null, count: { kind: 'exact', value: 0 }, listTimeoutMs: null };

  const [listed, counted] = await Promise.all([
    runWithStatementTimeout(pool, listTimeoutMs, (client) => listJobs(client, { queues, filter, cursor, limit: jobPageSize + 1 })),
    request.count ? runWithStatementTimeout(pool, jobCountTimeoutMs, (client) => countJobs(client, { queues, filter, cap: jobCountCap })) : null,
  ]);

  const count: JobCount =
    counted === null
      ? { kind: 'not_counted' }
      : counted.kind === 'timed_out'
        ? { kind: 'unknown', timeoutMs: counted.timeoutMs }
        : counted.value > jobCountCap
          ? { kind: 'capped', cap: jobCountCap }
          : { kind: 'exact', value: counted.value };
  if (listed.kind === 'timed_out') return { jobs: [], nextCursor: null, count, listTimeoutMs: listed.timeoutMs };

  const jobs = listed.value.slice(0, jobPageSize);
  const hasMore = listed.value.length > jobPageSize;
  return { jobs, nextCursor: hasMore ? formatJobCursor(jobs[jobs.length - 1]) : null, count, listTimeoutMs: null };
}
