import type Router from '@koa/router';
import type { Context } from 'koa';

import type { AnyActionDefinition } from '../actions/action-definition';
import { performAction } from '../actions/perform-action';
import { OperatorError } from '../errors';
import type { AuditPrincipal } from '../seams';
import { createActionPreview } from '../sql/create-action-preview';
import { checkSameOrigin } from './check-same-origin';
import { decide, openPage, type PageRequest } from './page-access';
import { addRoute, type RouteDeps, readParameter, renderPage } from './route-deps';

const previewTtlSeconds = 15 * 60;
export const maximumReasonLength = 1000;

/** The HTTP routes of one resource kind's audited actions. */
export interface ActionRouteSpec {
  /** Route below the mount whose last segment is the action name, e.g. `/cron/:name/:action`. */
  routePath: string;
  /** Page permission needed before any action permission is even checked, e.g. `view_cron`. */
  pageAction: string;
  /** Name of the resource kind in messages, e.g. `cron entry`. */
  resourceNoun: string;
  /** The navigation tab the preview belongs to, e.g. `cron`. */
  section: string;
  actions: Record<string, AnyActionDefinition>;
  resourceIdOf(params: Record<string, string>): string;
  /** Relative link from the action URL back to the resource's page. */
  resourceLinkOf(resourceId: string): string;
  /** Short label of the resource in headings, e.g. the entry name. */
  labelOf(target: unknown, resourceId: string): string;
}

/**
 * Registers preview (GET) and confirm (POST) for a resource kind's actions. Both check the page
 * and then the action by name on the server, whatever the method. The confirm runs in one
 * transaction with its audit event.
 */
export function addActionRoutes(router: Router, deps: RouteDeps, spec: ActionRouteSpec): void {
  addRoute(router, 'get', spec.routePath, async (ctx) => {
    const target = await openActionTarget(ctx, deps, spec);
    if (!target) return;

    const preview = await createActionPreview(deps.options.repo, {
      action: target.action.name,
      resource: { type: target.action.resourceType, id: target.resourceId },
      actorId: target.principal.id,
      expectedState: target.action.fingerprint(target.target),
      ttlSeconds: previewTtlSeconds,
    });
    renderPreview(ctx, deps, spec, target, { previewId: preview.id, reason: '', problem: null }, 200);
  });

  addRoute(router, 'post', spec.routePath, async (ctx) => {
    checkSameOrigin(ctx);
    const target = await openActionTarget(ctx, deps, spec);
    if (!target) return;
    const { action, resourceId, principal } = target;

    const body = ctx.request.body;
    const previewId = readParameter(body, 'preview');
    const reason = readParameter(body, 'reason').trim();
    const problem = findReasonProblem(reason, deps.options.minimumReasonLength);
    if (problem) {
      refuse(deps, action, resourceId, principal.id, problem, 422);
      renderPreview(ctx, deps, spec, target, { previewId, reason, problem }, 422);
      return;
    }

    const outcome = await performAction({ pool: deps.options.repo, boss: deps.options.boss }, { action, resourceId, previewId, principal, reason }).catch((error) => {
      if (error instanceof OperatorError) refuse(deps, action, resourceId, principal.id, error.message, error.status);
      throw error;
    });
    if (outcome.kind === 'performed') {
      deps.events.emit('action:performed', { action: action.name, resourceType: action.resourceType, resourceId, actorId: principal.id, auditEventId: outcome.auditEvent.id });
    }

    ctx.status = 303;
    ctx.redirect(`${spec.resourceLinkOf(resourceId)}?outcome=${outcome.kind}`);
  });
}

interface ActionTarget {
  page: PageRequest;
  action: AnyActionDefinition;
  resourceId: string;
  target: unknown;
  principal: AuditPrincipal;
}

/**
 * Runs the checks shared by preview and confirm: page access, a known action, an existing
 * target, permission for this action by name, an audit principal, and an applicable state.
 * Every refusal is a 4xx that changes nothing.
 */
async function openActionTarget(ctx: Context, deps: RouteDeps, spec: ActionRouteSpec): Promise<ActionTarget | null> {
  const resourceId = spec.resourceIdOf(ctx.params);
  const actionName = ctx.params.action;
  const knownAction = Object.hasOwn(spec.actions, actionName) ? spec.actions[actionName] : undefined;
  const resource = { type: knownAction?.resourceType ?? Object.values(spec.actions)[0].resourceType, id: resourceId };
  const page = await openPage(ctx, deps, spec.pageAction, resource);
  if (!page) return null;

  if (!knownAction) throw new OperatorError(404, `There is no ${spec.resourceNoun} action named ${actionName}. Known actions: ${Object.keys(spec.actions).join(', ')}.`);
  const target = await knownAction.load(deps.options.repo, resourceId, { forUpdate: false });
  if (!target) throw new OperatorError(404, `No ${spec.resourceNoun} is named ${resourceId}.`);

  const decision = await decide(deps.options.auth, page.actor, knownAction.name, resource);
  if (!decision.allowed) {
    refuse(deps, knownAction, resourceId, null, decision.reason, 403);
    throw new OperatorError(403, `Read-only: you can inspect ${resourceId} but not use ${knownAction.name} (${decision.reason}). Nothing was changed.`);
  }
  const principal = await deps.options.auth.auditPrincipal(page.actor);
  if (!principal) {
    refuse(deps, knownAction, resourceId, null, 'no audit principal', 403);
    throw new OperatorError(403, 'Read-only: your account has no audit identity, and every change here must be audited. Nothing was changed.');
  }

  const inapplicable = knownAction.findInapplicability(target);
  if (inapplicable && ctx.method === 'GET') throw new OperatorError(409, `${inapplicable} Nothing to do.`);
  return { page, action: knownAction, resourceId, target, principal };
}

function renderPreview(ctx: Context, deps: RouteDeps, spec: ActionRouteSpec, target: ActionTarget, form: { previewId: string; reason: string; problem: string | null }, status: number): void {
  const label = spec.labelOf(target.target, target.resourceId);
  renderPage(ctx, deps, spec.routePath, 'action-preview.njk', {
    title: `${target.action.verb} ${label}`,
    section: spec.section,
    show: target.page.display,
    action: target.action,
    label,
    resourceLink: spec.resourceLinkOf(target.resourceId),
    changes: target.action.describeChange(target.target),
    form,
    minimumReasonLength: deps.options.minimumReasonLength,
    maximumReasonLength,
  }, status);
}

/** Returns why an operator's reason cannot be recorded, or null when it can. */
export function findReasonProblem(reason: string, minimumLength: number): string | null {
  if (reason.length === 0) return 'A reason is required: say why, for the audit trail.';
  if (reason.length < minimumLength) return `The reason is too short (${reason.length} characters); write at least ${minimumLength}.`;
  if (reason.length > maximumReasonLength) return `The reason is too long (${reason.length} characters); keep it under ${maximumReasonLength}.`;
  if (reason.includes('\u0000')) return 'The reason contains a null character, which cannot be stored; remove it.';
  return null;
}

function refuse(deps: RouteDeps, action: AnyActionDefinition, resourceId: string, actorId: string | null, why: string, status: number): void {
  deps.events.emit('action:refused', { action: action.name, resourceType: action.resourceType, resourceId, actorId, why, status });
}
