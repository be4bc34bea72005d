import { pgBossSchema, type JobState } from '../../pgboss/pg-boss-schema';
import { type JobFilter, makeDataContainment } from '../job-filter';

/**
 * Builds the where-clause conditions of a job filter over `pgboss.job` aliased `j`, numbering
 * its parameters from `firstParameter`. The text is the same for every filter and each unset
 * field is a null parameter: node-postgres sends unnamed statements, which Postgres plans with
 * the actual values, so the null branches fold away and indexes still apply. The queue is not
 * part of it, because each caller restricts queues in its own way.
 *
 * `dataSelectivity: 'unknown'` hides the data containment from the planner's estimate. Postgres
 * has no statistics for `jsonb @>` and guesses that almost no row matches, so for a page it
 * reads every job of the queue and sorts them instead of walking `job_i15` newest first until
 * the page is full. Measured at 1,000,000 jobs (bench/native-pages.ts data, queue emails,
 * tenant-7): 208 ms with the plain operator, 14 ms wrapped in `coalesce`. A count must read
 * every matching row anyway, and there the plain operator plans better.
 */
export function makeJobFilterPredicate(
  filter: JobFilter,
  states: readonly JobState[] | null,
  firstParameter: number,
  options: { dataSelectivity?: 'estimated' | 'unknown' } = {},
): { text: string; values: unknown[] } {
  const [stateList, after, before, asString, asLiteral] = [0, 1, 2, 3, 4].map((offset) => `$${firstParameter + offset}`);
  const containment = makeDataContainment(filter.data);
  const contains = (document: string) =>
    options.dataSelectivity === 'unknown' ? `coalesce(j.data @> ${document}::jsonb, false)` : `j.data @> ${document}::jsonb`;

  return {
    text: `(${stateList}::${pgBossSchema}.job_state[] is null or j.state = any(${stateList}::${pgBossSchema}.job_state[]))
       and (${after}::timestamptz is null or j.created_on >= ${after}::timestamptz)
       and (${before}::timestamptz is null or j.created_on < ${before}::timestamptz)
       and (${asString}::jsonb is null or ${contains(asString)} or (${asLiteral}::jsonb is not null and ${contains(asLiteral)}))`,
    values: [states, filter.createdAfter, filter.createdBefore, containment?.asString ?? null, containment?.asLiteral ?? null],
  };
}

/** Returns the states a list with this filter shows: the filter's one state, or null for every state. */
export function statesOf(filter: JobFilter): JobState[] | null {
  return filter.state ? [filter.state] : null;
}
