import type { PgBoss } from 'pg-boss';

import type { ActionContext, ActionDefinition } from '../actions/action-definition';
import { makePgBossExecutor } from '../db/pg-boss-executor';
import type { Queryable } from '../db/with-transaction';
import type { JobState } from '../pgboss/pg-boss-schema';
import { readAffectedCount } from '../pgboss/read-affected-count';
import { describeJobFilter, formatJobFilterParameters, type JobFilter } from './job-filter';
import { readJobStates } from './sql/read-job-states';
import { selectJobIds } from './sql/select-job-ids';

/** Maximum number of jobs one bulk action changes. A larger selection takes several runs. */
export const bulkJobBatchMaximum = 1000;

export type BulkJobActionName = 'retry_all_jobs' | 'cancel_all_jobs';

/** The states of the jobs each bulk action changes. */
export const bulkJobEligibleStates: Record<BulkJobActionName, readonly JobState[]> = {
  retry_all_jobs: ['failed'],
  cancel_all_jobs: ['created', 'retry', 'active'],
};

/** The jobs a preview showed, which are the only ones its confirmation may change. */
export interface PreviewedJobSelection {
  ids: string[];
  /** True when more jobs matched the filter than the batch maximum. */
  more: boolean;
}

/**
 * The jobs of one queue a bulk action covers. At preview time `ids` is the fresh selection.
 * At confirmation `ids` is the previewed selection, and `eligibleIds` are those of them still
 * in an eligible state under the confirmation's lock.
 */
export interface BulkJobTarget extends PreviewedJobSelection {
  queue: string;
  filter: JobFilter;
  eligibleIds: string[];
}

interface BulkJobKind {
  verb: string;
  eligibleStates: readonly JobState[];
  /** The change to each job, worded as the end of the sentence "N jobs …". */
  change: string;
  notes: string[];
  run(context: ActionContext, queue: string, ids: string[]): ReturnType<PgBoss['retry']>;
}

const bulkJobKinds: Record<BulkJobActionName, BulkJobKind> = {
  retry_all_jobs: {
    verb: 'Retry',
    eligibleStates: bulkJobEligibleStates.retry_all_jobs,
    change: 'move from failed to retry, and workers run them once they are due',
    notes: ['pg-boss raises each job\'s retry limit by one so the new attempt is allowed; data is unchanged.'],
    run: ({ boss, client }, queue, ids) => boss.retry(queue, ids, { db: makePgBossExecutor(client) }),
  },
  cancel_all_jobs: {
    verb: 'Cancel',
    eligibleStates: bulkJobEligibleStates.cancel_all_jobs,
    change: 'move to cancelled, and no worker fetches them again unless an operator resumes them',
    notes: ['Active jobs among them keep running in their workers, but their completion or failure no longer changes them.'],
    run: ({ boss, client }, queue, ids) => boss.cancel(queue, ids, { db: makePgBossExecutor(client) }),
  },
};

/** Returns whether `name`, read from a URL, is a bulk job action. */
export function isBulkJobActionName(name: string): name is BulkJobActionName {
  return Object.hasOwn(bulkJobKinds, name);
}

/**
 * Makes the audited bulk action `name` over the jobs of `filter.queue` that match `filter`.
 * Without `previewed` it selects up to `bulkJobBatchMaximum` matching jobs, newest first, for a
 * preview. With `previewed`, the ids a preview recorded, it covers exactly those: the
 * confirmation locks them and changes only the ones still in an eligible state. Either way the
 * fingerprint is the filter and the previewed ids, so it matches the preview that made it.
 */
export function makeBulkJobAction(name: BulkJobActionName, filter: JobFilter, previewed: PreviewedJobSelection | null = null): ActionDefinition<BulkJobTarget> {
  const kind = bulkJobKinds[name];
  const states = filter.state ? kind.eligibleStates.filter((state) => state === filter.state) : kind.eligibleStates;
  const stateWords = kind.eligibleStates.join(', ');

  async function load(db: Queryable, queue: string, options: { forUpdate: boolean }): Promise<BulkJobTarget | null> {
    if (queue !== filter.queue) return null;

    if (previewed) {
      const current = await readJobStates(db, queue, previewed.ids, options);
      const eligible = new Set(current.filter((job) => states.includes(job.state)).map((job) => job.id));
      return { queue, filter, ...previewed, eligibleIds: previewed.ids.filter((id) => eligible.has(id)) };
    }

    const selected = states.length > 0 ? await selectJobIds(db, { queue, filter, states, limit: bulkJobBatchMaximum + 1 }) : [];
    const ids = selected.slice(0, bulkJobBatchMaximum);
    return { queue, filter, ids, more: selected.length > bulkJobBatchMaximum, eligibleIds: ids };
  }

  return {
    name,
    resourceType: 'queue',
    verb: kind.verb,
    load,
    fingerprint: (target) => ({ filter: formatJobFilterParameters(target.filter), ids: target.ids, more: target.more }),
    describeState: (target) => `${target.eligibleIds.length} of the ${target.ids.length} previewed jobs still ${stateWords}`,
    findInapplicability: (target) => {
      if (filter.state && states.length === 0) {
        return `${name} acts on ${stateWords} jobs, but the filter selects state ${filter.state}. Change the state filter.`;
      }
      if (target.eligibleIds.length === 0) return `No ${stateWords} jobs in queue ${target.queue} match ${describeJobFilter(target.filter)}.`;
      return null;
    },
    describeChange: (target) => [
      `${target.ids.length} job(s) in queue ${target.queue} matching ${describeJobFilter(target.filter)} ${kind.change}.`,
      target.more
        ? `More than ${bulkJobBatchMaximum} jobs match, and one action changes at most ${bulkJobBatchMaximum}: this covers the newest ${bulkJobBatchMaximum}. Run it again for the rest.`
        : `That is every matching job right now (one action changes at most ${bulkJobBatchMaximum}).`,
      `Only these previewed jobs can change. Any that leave state ${stateWords} before you confirm are skipped, and jobs that start matching later are not included.`,
      ...kind.notes,
    ],
    async apply(context, target) {
      if (target.eligibleIds.length === 0) return null;
      const changed = readAffectedCount(await kind.run(context, target.queue, target.eligibleIds));

      const eligible = new Set(target.eligibleIds);
      return {
        queue: target.queue,
        filter: formatJobFilterParameters(target.filter),
        previewed_count: target.ids.length,
        changed_count: changed,
        skipped_ids: target.ids.filter((id) => !eligible.has(id)),
        more_matched: target.more,
      };
    },
  };
}
