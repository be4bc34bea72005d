import type Router from '@koa/router';
import type { Context } from 'koa';

import { type CronActionDefinition, cronActions } from '../../actions/cron-actions';
import { performCronAction } from '../../actions/perform-cron-action';
import { OperatorError } from '../../errors';
import type { AuditPrincipal } from '../../seams';
import { createActionPreview } from '../../sql/create-action-preview';
import { type CronEntryRow, fingerprintCronEntry } from '../../sql/cron-entry-row';
import { findCronEntry } from '../../sql/find-cron-entry';
import { checkSameOrigin } from '../check-same-origin';
import { decide, openPage, type PageRequest } from '../page-access';
import { addRoute, type RouteDeps, readParameter, renderPage } from '../route-deps';

const routePath = '/cron/:name/:action';
const previewTtlSeconds = 15 * 60;
const maximumReasonLength = 1000;

/**
 * Preview (GET) and confirm (POST) of the audited cron actions. Both check the page and then
 * the action by name on the server, whatever the method, and the confirm runs in one
 * transaction with its audit event.
 */
export function addCronActionRoutes(router: Router, deps: RouteDeps): void {
  addRoute(router, 'get', routePath, async (ctx) => {
    const target = await openActionTarget(ctx, deps);
    if (!target) return;
    const { page, action, entry, principal } = target;

    const preview = await createActionPreview(deps.options.repo, {
      action: action.name,
      resource: { type: 'cron_entry', id: entry.name },
      actorId: principal.id,
      expectedState: fingerprintCronEntry(entry),
      ttlSeconds: previewTtlSeconds,
    });
    renderPreview(ctx, deps, page, action, entry, { previewId: preview.id, reason: '', problem: null }, 200);
  });

  addRoute(router, 'post', routePath, async (ctx) => {
    checkSameOrigin(ctx);
    const target = await openActionTarget(ctx, deps);
    if (!target) return;
    const { page, action, entry, principal } = target;

    const body = ctx.request.body;
    const previewId = readParameter(body, 'preview');
    const reason = readParameter(body, 'reason').trim();
    const problem = findReasonProblem(reason, deps.options.minimumReasonLength);
    if (problem) {
      refuse(deps, action, entry.name, principal.id, problem, 422);
      renderPreview(ctx, deps, page, action, entry, { previewId, reason, problem }, 422);
      return;
    }

    const outcome = await performCronAction(deps.options.repo, { action, entryName: entry.name, previewId, principal, reason }).catch((error) => {
      if (error instanceof OperatorError) refuse(deps, action, entry.name, principal.id, error.message, error.status);
      throw error;
    });
    if (outcome.kind === 'performed') {
      deps.events.emit('action:performed', { action: action.name, resourceType: 'cron_entry', resourceId: entry.name, actorId: principal.id, auditEventId: outcome.auditEvent.id });
    }

    ctx.status = 303;
    ctx.redirect(`../${encodeURIComponent(entry.name)}?outcome=${outcome.kind}`);
  });
}

interface ActionTarget {
  page: PageRequest;
  action: CronActionDefinition;
  entry: CronEntryRow;
  principal: AuditPrincipal;
}

/**
 * Runs the checks shared by preview and confirm: page access, a known action, an existing
 * entry, permission for this action by name, an audit principal, and an applicable state.
 * Every refusal is a 4xx that changes nothing.
 */
async function openActionTarget(ctx: Context, deps: RouteDeps): Promise<ActionTarget | null> {
  const { name, action: actionName } = ctx.params;
  const resource = { type: 'cron_entry' as const, id: name };
  const page = await openPage(ctx, deps, 'view_cron', resource);
  if (!page) return null;

  const action = Object.hasOwn(cronActions, actionName) ? cronActions[actionName] : undefined;
  if (!action) throw new OperatorError(404, `There is no cron action named ${actionName}. Known actions: ${Object.keys(cronActions).join(', ')}.`);
  const entry = await findCronEntry(deps.options.repo, name);
  if (!entry) throw new OperatorError(404, `No cron entry is named ${name}.`);

  const decision = await decide(deps.options.auth, page.actor, action.name, resource);
  if (!decision.allowed) {
    refuse(deps, action, name, null, decision.reason, 403);
    throw new OperatorError(403, `Read-only: you can inspect ${name} but not use ${action.name} (${decision.reason}). Nothing was changed.`);
  }
  const principal = await deps.options.auth.auditPrincipal(page.actor);
  if (!principal) {
    refuse(deps, action, name, null, 'no audit principal', 403);
    throw new OperatorError(403, `Read-only: your account has no audit identity, and every change here must be audited. Nothing was changed.`);
  }

  const inapplicable = action.findInapplicability(entry);
  if (inapplicable && ctx.method === 'GET') throw new OperatorError(409, `${inapplicable} Nothing to do.`);
  return { page, action, entry, principal };
}

function renderPreview(
  ctx: Context,
  deps: RouteDeps,
  page: PageRequest,
  action: CronActionDefinition,
  entry: CronEntryRow,
  form: { previewId: string; reason: string; problem: string | null },
  status: number,
): void {
  renderPage(ctx, deps, routePath, 'cron-action.njk', {
    title: `${action.verb} ${entry.name}`,
    show: page.display,
    action,
    entry,
    changes: action.describeChange(entry),
    form,
    minimumReasonLength: deps.options.minimumReasonLength,
    maximumReasonLength,
  }, status);
}

function findReasonProblem(reason: string, minimumLength: number): string | null {
  if (reason.length === 0) return 'A reason is required: say why, for the audit trail.';
  if (reason.length < minimumLength) return `The reason is too short (${reason.length} characters); write at least ${minimumLength}.`;
  if (reason.length > maximumReasonLength) return `The reason is too long (${reason.length} characters); keep it under ${maximumReasonLength}.`;
  if (reason.includes('\u0000')) return 'The reason contains a null character, which cannot be stored; remove it.';
  return null;
}

function refuse(deps: RouteDeps, action: CronActionDefinition, entryName: string, actorId: string | null, why: string, status: number): void {
  deps.events.emit('action:refused', { action: action.name, resourceType: 'cron_entry', resourceId: entryName, actorId, why, status });
}
