import type Router from '@koa/router';
import type { Context } from 'koa';

import type { ActionDefinition } from '../../actions/action-definition';
import { performAction } from '../../actions/perform-action';
import { OperatorError } from '../../errors';
import { type BulkJobActionName, type BulkJobTarget, bulkJobBatchMaximum, isBulkJobActionName, makeBulkJobAction, type PreviewedJobSelection } from '../../jobs/bulk-job-actions';
import { formatJobFilterQuery, type JobFilter, parseJobFilter } from '../../jobs/job-filter';
import { listQueueNames } from '../../jobs/sql/list-queue-names';
import type { AuditPrincipal, Resource } from '../../seams';
import { createActionPreview } from '../../sql/create-action-preview';
import { findActionPreviewForUpdate } from '../../sql/find-action-preview';
import { findReasonProblem, maximumReasonLength } from '../action-routes';
import { checkSameOrigin } from '../check-same-origin';
import { decide, openPage, type PageRequest } from '../page-access';
import { addRoute, type RouteDeps, readParameter, renderPage } from '../route-deps';

const routePath = '/jobs-bulk/:queue/:action';
const previewTtlSeconds = 15 * 60;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Preview (GET) and confirm (POST) of `retry_all_jobs` and `cancel_all_jobs` over the jobs of
 * one queue that match a filter, at /jobs-bulk/:queue/:action?<filter>. They use the generic
 * audited flow (`performAction`): the preview records the filter and the ids it selected, and
 * the confirmation reads both back from that preview, so it changes only previewed jobs.
 */
export function addBulkJobActionRoutes(router: Router, deps: RouteDeps): void {
  addRoute(router, 'get', routePath, async (ctx) => {
    const opened = await openBulkAction(ctx, deps);
    if (!opened) return;
    const filter = parseJobFilter({ ...ctx.query, queue: opened.queue });

    const action = makeBulkJobAction(opened.name, filter);
    const target = await loadTarget(deps, action, opened.queue);
    const inapplicable = action.findInapplicability(target);
    if (inapplicable) throw new OperatorError(409, `${inapplicable} Nothing to do.`);

    const preview = await createActionPreview(deps.options.repo, {
      action: action.name,
      resource: opened.resource,
      actorId: opened.principal.id,
      expectedState: action.fingerprint(target),
      ttlSeconds: previewTtlSeconds,
    });
    renderBulkPreview(ctx, deps, opened.page, action, target, { previewId: preview.id, reason: '', problem: null }, 200);
  });

  addRoute(router, 'post', routePath, async (ctx) => {
    checkSameOrigin(ctx);
    const opened = await openBulkAction(ctx, deps);
    if (!opened) return;
    const { name, queue, resource, principal } = opened;

    const body = ctx.request.body;
    const previewId = readParameter(body, 'preview');
    const reason = readParameter(body, 'reason').trim();
    const { filter, selection } = await readPreviewedSelection(deps, { name, resource, principal, previewId });
    const action = makeBulkJobAction(name, filter, selection);

    const problem = findReasonProblem(reason, deps.options.minimumReasonLength);
    if (problem) {
      refuse(deps, name, queue, principal.id, problem, 422);
      renderBulkPreview(ctx, deps, opened.page, action, await loadTarget(deps, action, queue), { previewId, reason, problem }, 422);
      return;
    }

    const outcome = await performAction({ pool: deps.options.repo, boss: deps.options.boss }, { action, resourceId: queue, previewId, principal, reason }).catch((error) => {
      if (error instanceof OperatorError) refuse(deps, name, queue, principal.id, error.message, error.status);
      throw error;
    });

    const back = `../../jobs?${formatJobFilterQuery(filter)}`;
    ctx.status = 303;
    if (outcome.kind === 'already_performed') {
      ctx.redirect(`${back}&outcome=already_performed`);
      return;
    }
    deps.events.emit('action:performed', { action: name, resourceType: 'queue', resourceId: queue, actorId: principal.id, auditEventId: outcome.auditEvent.id });
    const { changed_count: changed, previewed_count: previewed } = outcome.auditEvent.details;
    ctx.redirect(`${back}&outcome=performed&changed=${Number(changed)}&previewed=${Number(previewed)}`);
  });
}

interface OpenedBulkAction {
  page: PageRequest;
  name: BulkJobActionName;
  queue: string;
  resource: Resource;
  principal: AuditPrincipal;
}

/**
 * Runs the checks preview and confirm share: page access, a known action, an existing queue,
 * permission for this action by name on the queue, and an audit principal. Every refusal is
 * a 4xx that changes nothing; null means the request was redirected.
 */
async function openBulkAction(ctx: Context, deps: RouteDeps): Promise<OpenedBulkAction | null> {
  const { queue, action: name } = ctx.params;
  const resource: Resource = { type: 'queue', id: queue };
  const page = await openPage(ctx, deps, 'view_jobs', resource);
  if (!page) return null;

  if (!isBulkJobActionName(name)) throw new OperatorError(404, `There is no bulk job action named ${name}. Known actions: retry_all_jobs, cancel_all_jobs.`);
  if (!(await listQueueNames(deps.options.repo)).includes(queue)) throw new OperatorError(404, `No queue is named ${queue}.`);

  const decision = await decide(deps.options.auth, page.actor, name, resource);
  if (!decision.allowed) {
    refuse(deps, name, queue, null, decision.reason, 403);
    throw new OperatorError(403, `Read-only: you can inspect the jobs of queue ${queue} but not use ${name} (${decision.reason}). Nothing was changed.`);
  }
  const principal = await deps.options.auth.auditPrincipal(page.actor);
  if (!principal) {
    refuse(deps, name, queue, null, 'no audit principal', 403);
    throw new OperatorError(403, 'Read-only: your account has no audit identity, and every change here must be audited. Nothing was changed.');
  }
  return { page, name, queue, resource, principal };
}

async function loadTarget(deps: RouteDeps, action: ActionDefinition<BulkJobTarget>, queue: string): Promise<BulkJobTarget> {
  const target = await action.load(deps.options.repo, queue, { forUpdate: false });
  if (!target) throw new OperatorError(404, `No queue is named ${queue}.`);
  return target;
}

/**
 * Reads the filter and ids a preview recorded. This read only decides which jobs the action
 * is made for, because `performAction` checks the preview again under a lock. A preview of
 * another actor, action or queue is rejected here with the same message as there.
 */
async function readPreviewedSelection(
  deps: RouteDeps,
  request: { name: string; resource: Resource; principal: AuditPrincipal; previewId: string },
): Promise<{ filter: JobFilter; selection: PreviewedJobSelection }> {
  // Outside a transaction the row lock ends with the statement; only the row's content is used.
  const preview = await findActionPreviewForUpdate(deps.options.repo, request.previewId);
  if (!preview || preview.actor_id !== request.principal.id || preview.action !== request.name || preview.resource_type !== request.resource.type || preview.resource_id !== request.resource.id) {
    throw new OperatorError(403, 'This confirmation does not belong to you or to this action. Open the preview again.');
  }

  const { filter, ids, more } = preview.expected_state as { filter?: unknown; ids?: unknown; more?: unknown };
  const idsValid = Array.isArray(ids) && ids.length <= bulkJobBatchMaximum && ids.every((id) => typeof id === 'string' && uuidPattern.test(id));
  if (!filter || typeof filter !== 'object' || !idsValid || typeof more !== 'boolean') {
    throw new OperatorError(409, 'This preview does not record a job selection this version can read. Nothing was changed; open a fresh preview.');
  }
  return { filter: parseJobFilter(filter as Record<string, unknown>), selection: { ids: ids as string[], more } };
}

function renderBulkPreview(
  ctx: Context,
  deps: RouteDeps,
  page: PageRequest,
  action: ActionDefinition<BulkJobTarget>,
  target: BulkJobTarget,
  form: { previewId: string; reason: string; problem: string | null },
  status: number,
): void {
  const label = `jobs in queue ${target.queue}`;
  renderPage(ctx, deps, routePath, 'action-preview.njk', {
    title: `${action.verb} ${label}`,
    section: 'jobs',
    show: page.display,
    action,
    label,
    resourceLink: `../../jobs?${formatJobFilterQuery(target.filter)}`,
    changes: action.describeChange(target),
    form,
    minimumReasonLength: deps.options.minimumReasonLength,
    maximumReasonLength,
  }, status);
}

function refuse(deps: RouteDeps, action: string, queue: string, actorId: string | null, why: string, status: number): void {
  deps.events.emit('action:refused', { action, resourceType: 'queue', resourceId: queue, actorId, why, status });
}
