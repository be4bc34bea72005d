import type Router from '@koa/router';

import { jobActions } from '../../actions/job-actions';
import { OperatorError } from '../../errors';
import { bulkJobEligibleStates } from '../../jobs/bulk-job-actions';
import { parseJobCursor } from '../../jobs/job-cursor';
import { describeJobFilter, formatJobFilterParameters, formatJobFilterQuery, parseJobFilter } from '../../jobs/job-filter';
import { formatJobResourceId } from '../../jobs/job-resource-id';
import { isCountBounded, jobCountCap, jobCountTimeoutMs, type JobCount, jobPageSize, readJobPage } from '../../jobs/read-job-page';
import { readQueryParameter } from '../../jobs/read-query-parameter';
import { findJob } from '../../jobs/sql/find-job';
import { listQueueNames } from '../../jobs/sql/list-queue-names';
import { jobStates } from '../../pgboss/pg-boss-schema';
import { listAuditEvents } from '../../sql/list-audit-events';
import { decide, openPage } from '../page-access';
import { addRoute, type RouteDeps, readParameter, renderPage } from '../route-deps';

const outcomeMessages: Record<string, string> = {
  performed: 'Done. The change and its audit event were committed together.',
  already_performed: 'This confirmation was already applied; nothing was changed a second time.',
};

/** Registers the jobs list at /jobs and one job's page at /jobs/:queue/:id. */
export function addJobRoutes(router: Router, deps: RouteDeps): void {
  addRoute(router, 'get', '/jobs', async (ctx) => {
    const page = await openPage(ctx, deps, 'view_jobs', { type: 'page', id: 'jobs' });
    if (!page) return;

    const filter = parseJobFilter(ctx.query);
    const cursor = parseJobCursor(ctx.query);
    const countRequested = parseCountRequest(ctx.query);
    const { repo, auth } = deps.options;
    const knownQueues = await listQueueNames(repo);
    if (filter.queue && !knownQueues.includes(filter.queue)) throw new OperatorError(400, describeUnknownQueue(filter.queue, knownQueues));
    const queues = knownQueues.filter((queue) => (!filter.queue || queue === filter.queue) && (!filter.namePrefix || queue.startsWith(filter.namePrefix)));

    const jobPage = await readJobPage(repo, { queues, filter, cursor, count: countRequested || isCountBounded(filter) });
    const bulkActions = [];
    if (filter.queue) {
      for (const [name, states] of Object.entries(bulkJobEligibleStates)) {
        if (filter.state && !states.includes(filter.state)) continue;
        const decision = await decide(auth, page.actor, name, { type: 'queue', id: filter.queue });
        if (decision.allowed) bulkActions.push({ name, states: states.join(', ') });
      }
    }

    const filterQuery = formatJobFilterQuery(filter);
    renderPage(ctx, deps, '/jobs', 'job-list.njk', {
      title: 'Jobs',
      show: page.display,
      jobs: jobPage.jobs,
      filter: formatJobFilterParameters(filter),
      filterDescription: describeJobFilter(filter),
      filterQuery,
      bulkQuery: formatJobFilterQuery({ ...filter, queue: null }),
      nextQuery: jobPage.nextCursor ? joinQuery(filterQuery, `after=${encodeURIComponent(jobPage.nextCursor)}`) : null,
      isFirstPage: cursor === null,
      countText: describeCount(jobPage.count),
      countUnknown: jobPage.count.kind === 'unknown',
      countTimeoutSeconds: jobCountTimeoutMs / 1000,
      countQuery: jobPage.count.kind === 'not_counted' ? joinQuery(filterQuery, cursor ? `after=${encodeURIComponent(readParameter(ctx.query, 'after'))}` : '', 'count=1') : null,
      listTimeoutMs: jobPage.listTimeoutMs,
      queues: knownQueues,
      states: jobStates,
      bulkActions,
      pageSize: jobPageSize,
      outcome: readOutcomeMessage(ctx.query),
    });
  });

  addRoute(router, 'get', '/jobs/:queue/:id', async (ctx) => {
    const { queue, id } = ctx.params;
    const resource = { type: 'job' as const, id: formatJobResourceId(queue, id) };
    const page = await openPage(ctx, deps, 'view_jobs', resource);
    if (!page) return;

    const { repo, auth } = deps.options;
    const job = await findJob(repo, queue, id);
    if (!job) throw new OperatorError(404, `No job ${id} exists in queue ${queue}. It may have been deleted, or removed by pg-boss retention.`);

    const target = { queue, id: job.id, job };
    const actions = [];
    for (const action of Object.values(jobActions)) {
      if (action.findInapplicability(target)) continue;
      const decision = await decide(auth, page.actor, action.name, resource);
      actions.push({ name: action.name, verb: action.verb, allowed: decision.allowed, reason: decision.allowed ? null : decision.reason });
    }
    const events = await listAuditEvents(repo, { resourceType: 'job', resourceId: resource.id, limit: 20 });

    renderPage(ctx, deps, '/jobs/:queue/:id', 'job-detail.njk', {
      title: `Job ${job.id}`,
      show: page.display,
      job,
      // pg-boss stores a job's result and its last error in the same column: only a completed job's is a result.
      outputKind: job.state === 'completed' ? 'job_output' : 'job_error',
      actions,
      readOnly: actions.length > 0 && actions.every((action) => !action.allowed),
      events,
      outcome: readOutcomeMessage(ctx.query),
    });
  });
}

function describeUnknownQueue(queue: string, knownQueues: string[]): string {
  const shown = knownQueues.slice(0, 10).join(', ');
  const more = knownQueues.length > 10 ? ` and ${knownQueues.length - 10} more` : '';
  return knownQueues.length === 0
    ? `No queue is named "${queue}", and pg-boss has no queues yet. Clear the queue filter.`
    : `No queue is named "${queue}". Known queues: ${shown}${more}. Pick one of them or clear the queue filter.`;
}

function describeCount(count: JobCount): string {
  if (count.kind === 'exact') return `${count.value.toLocaleString('en-US')} matching job(s)`;
  if (count.kind === 'capped') return `${count.cap.toLocaleString('en-US')}+ matching jobs (counting stops at ${jobCountCap.toLocaleString('en-US')})`;
  if (count.kind === 'not_counted') return 'Matching jobs not counted: no pg-boss index covers job data, so a count reads every job of the selected queues';
  return `The number of matching jobs is unknown: counting stopped after ${count.timeoutMs / 1000} s`;
}

/** Reads `count=1`, the operator's request to count a selection no index can count cheaply. */
function parseCountRequest(query: Record<string, unknown>): boolean {
  const value = readQueryParameter(query, 'count', 'count request', 10);
  if (value !== '' && value !== '1') throw new OperatorError(400, `The count parameter takes only 1 (count the matching jobs), got "${value}". Remove it or set count=1.`);
  return value === '1';
}

function joinQuery(...parts: string[]): string {
  return parts.filter(Boolean).join('&');
}

/**
 * Looks up an outcome message among the object's own keys, so `?outcome=constructor` shows
 * nothing. A bulk action adds how many jobs it changed.
 */
function readOutcomeMessage(query: Record<string, unknown>): string | null {
  const outcome = readParameter(query, 'outcome');
  if (!Object.hasOwn(outcomeMessages, outcome)) return null;

  const changed = readParameter(query, 'changed');
  const previewed = readParameter(query, 'previewed');
  if (outcome !== 'performed' || !/^\d{1,5}$/.test(changed) || !/^\d{1,5}$/.test(previewed)) return outcomeMessages[outcome];

  const skipped = Number(previewed) - Number(changed);
  return skipped > 0
    ? `${outcomeMessages.performed} ${changed} of the ${previewed} previewed job(s) changed; the other ${skipped} had left the expected state before you confirmed.`
    : `${outcomeMessages.performed} ${changed} job(s) changed.`;
}
