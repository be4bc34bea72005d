import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import type Router from '@koa/router';
import type { Context } from 'koa';

import { decide } from '../http/page-access';
import type { RouteDeps } from '../http/route-deps';
import type { Actor, Resource } from '../seams';
import { type BridgeDecision, classifyBridgeRequest } from './classify-bridge-request';
import { assetRoute } from './dashboard-routes';
import { extendContentSecurityPolicy } from './extend-content-security-policy';
import { type BridgeLocation, bridgeSegment, locateBridge } from './locate-bridge';
import { type Bridge, maximumBasePaths } from './make-bridge';
import { makeDashboardRequest } from './make-dashboard-request';
import { replaceOffSiteFontUrls, rewriteDashboardHtml } from './rewrite-dashboard-html';

/** The action a host authorises for every bridge request, separately from the native pages. */
export const bridgeAction = 'view_pg_boss_bridge';

const bridgeResource: Resource = { type: 'page', id: bridgeSegment };
const bannerStylesheet = readFileSync(path.join(__dirname, 'bridge-banner.css'), 'utf8');
const bannerStylesheetPath = '/assets/bridge-banner.css';

/** Response headers of the dashboard the bridge does not pass on. */
const droppedResponseHeaders = new Set(['set-cookie', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

export type BridgeRouteDeps = RouteDeps & { bridge: Bridge };

/**
 * Serves @pg-boss/dashboard read-only at `pg-boss` below the mount. Every request passes the
 * host's `authorize` for `view_pg_boss_bridge`. A request the classifier does not recognise as a
 * read is refused with 403 before the dashboard receives it.
 */
export function addBridgeRoutes(router: Router, deps: BridgeRouteDeps): void {
  router.get(bannerStylesheetPath, (ctx) => {
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = bannerStylesheet;
  });

  router.all([`/${bridgeSegment}`, `/${bridgeSegment}.data`, `/${bridgeSegment}/{*rest}`], async (ctx) => {
    const location = locateBridge(ctx, ctx.params.rest);
    if (!location) {
      ctx.status = 404;
      return;
    }
    ctx.state.powertoolsRoot = `${location.publicMountPath}/`;

    const actor = await admitActor(ctx, deps, location);
    if (actor === null) return;

    const decision = classifyBridgeRequest({
      method: ctx.method,
      path: location.dashboardPath,
      query: new URLSearchParams(ctx.querystring),
      header: (name) => ctx.get(name),
      body: ctx.request.body,
    });
    if (decision.kind === 'refused') {
      await refuse(ctx, deps, actor, location, decision);
      return;
    }
    if (decision.kind === 'unavailable') {
      answerUnavailable(ctx, deps, location, decision);
      return;
    }
    await forward(ctx, deps, location, decision);
  });
}

/**
 * Returns the actor when the host grants `view_pg_boss_bridge`, else redirects and returns
 * null: an anonymous visitor to the host's `deniedRedirect`, an actor without the grant to the
 * native overview.
 */
async function admitActor(ctx: Context, deps: BridgeRouteDeps, location: BridgeLocation): Promise<Actor | null> {
  const { auth, deniedRedirect } = deps.options;
  const actor = await auth.currentActor(ctx);
  if (!actor) {
    deps.events.emit('action:refused', { action: bridgeAction, resourceType: bridgeResource.type, resourceId: bridgeResource.id, actorId: null, why: 'not signed in', status: 302 });
    redirect(ctx, location, deniedRedirect);
    return null;
  }

  const decision = await decide(auth, actor, bridgeAction, bridgeResource);
  if (!decision.allowed) {
    deps.events.emit('action:refused', { action: bridgeAction, resourceType: bridgeResource.type, resourceId: bridgeResource.id, actorId: await readActorId(deps, actor), why: decision.reason, status: 302 });
    redirect(ctx, location, `${location.publicMountPath}/`);
    return null;
  }
  return actor;
}

async function refuse(ctx: Context, deps: BridgeRouteDeps, actor: Actor, location: BridgeLocation, decision: Extract<BridgeDecision, { kind: 'refused' }>): Promise<void> {
  deps.events.emit('action:refused', {
    action: decision.write ?? bridgeAction,
    resourceType: 'pg_boss_bridge',
    resourceId: decision.route?.id ?? 'unknown route',
    actorId: await readActorId(deps, actor),
    why: decision.reason,
    status: 403,
  });

  ctx.status = 403;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `Refused by the pg-boss dashboard bridge, which is Inspection only: ${decision.reason} Nothing was changed. Audited actions are in the native control plane at ${location.publicMountPath}/.\n`;
}

/**
 * Renders, in place of a page the dashboard cannot serve (its job page), a notice that links to
 * the same job in the native control plane. A client-side navigation (`.data`) gets a redirect
 * that loads the notice as a document instead.
 */
function answerUnavailable(ctx: Context, deps: BridgeRouteDeps, location: BridgeLocation, decision: Extract<BridgeDecision, { kind: 'unavailable' }>): void {
  const documentPath = location.dashboardPath.replace(/\/_\.data$/, '/').replace(/\.data$/, '');
  if (decision.data) {
    redirect(ctx, location, `${location.publicBasePath}${documentPath}`);
    return;
  }

  const { name: queue, jobId } = decision.params;
  ctx.status = 409;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = deps.templates.render('bridge-unavailable.njk', {
    root: `${location.publicMountPath}/`,
    mountPath: location.publicMountPath,
    title: `Job ${jobId} in the pg-boss dashboard bridge`,
    reason: decision.reason,
    queue,
    jobId,
    nativeJobUrl: `${location.publicMountPath}/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(jobId)}`,
    bridgeQueueUrl: `${location.publicBasePath}/queues/${encodeURIComponent(queue)}?state=all`,
  });
}

async function forward(ctx: Context, deps: BridgeRouteDeps, location: BridgeLocation, decision: Extract<BridgeDecision, { kind: 'read' }>): Promise<void> {
  const handler = deps.bridge.handlerFor(location.publicBasePath);
  if (!handler) {
    throw new Error(`The pg-boss dashboard bridge serves at most ${maximumBasePaths} base paths, and ${location.publicBasePath} would be one more. Check the mount and the X-Forwarded-Prefix header the proxy sends.`);
  }

  const response = await handler(makeDashboardRequest(ctx, location));
  ctx.status = response.status;
  for (const [name, value] of response.headers) {
    if (!droppedResponseHeaders.has(name)) ctx.set(name, value);
  }

  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/html') && ctx.method === 'GET') {
    ctx.body = rewritePage(ctx, deps, location, await response.text());
    return;
  }
  // The root route's client module renders the same font links as the HTML, so it is rewritten alike.
  if (decision.route === assetRoute && /javascript/.test(contentType) && ctx.method === 'GET' && response.status === 200) {
    ctx.body = replaceOffSiteFontUrls(await response.text(), stylesheetUrlOf(location));
    return;
  }
  const length = response.headers.get('content-length');
  if (length) ctx.length = Number(length);
  ctx.body = response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : null;
}

/** Adds the banner and, when the host's policy restricts inline code, this page's hashes. */
function rewritePage(ctx: Context, deps: BridgeRouteDeps, location: BridgeLocation, html: string): string {
  const banner = deps.templates.render('bridge-banner.njk', { mountPath: location.publicMountPath });
  const page = rewriteDashboardHtml(html, banner, stylesheetUrlOf(location));

  if (deps.bridge.extendContentSecurityPolicy) {
    for (const name of ['Content-Security-Policy', 'Content-Security-Policy-Report-Only']) {
      const policy = ctx.response.get(name);
      if (policy) ctx.set(name, extendContentSecurityPolicy(policy, page.hashes));
    }
  }
  return page.html;
}

function stylesheetUrlOf(location: BridgeLocation): string {
  return `${location.publicMountPath}${bannerStylesheetPath}`;
}

/**
 * Redirects a browser. React Router fetches `.data` for client-side navigation and cannot follow
 * an HTTP redirect to a page outside the dashboard, so those requests get its own redirect
 * response, which makes the browser load the target as a document. React Router puts its base
 * path in front of a path it receives there, so a target inside the dashboard goes without the
 * base path, and any other target as an absolute URL.
 */
function redirect(ctx: Context, location: BridgeLocation, target: string): void {
  ctx.set('Cache-Control', 'no-store');
  if (location.dashboardPath.endsWith('.data')) {
    const inside = target === location.publicBasePath || target.startsWith(`${location.publicBasePath}/`);
    ctx.status = 204;
    ctx.set('X-Remix-Redirect', inside ? target.slice(location.publicBasePath.length) || '/' : `${ctx.protocol}://${ctx.host}${target}`);
    ctx.set('X-Remix-Status', '302');
    ctx.set('X-Remix-Reload-Document', 'true');
    return;
  }
  ctx.redirect(target);
}

async function readActorId(deps: BridgeRouteDeps, actor: Actor): Promise<string | null> {
  const principal = await deps.options.auth.auditPrincipal(actor);
  return principal?.id ?? null;
}
