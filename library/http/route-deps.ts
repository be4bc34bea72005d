import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import type { Context } from 'koa';
import type nunjucks from 'nunjucks';

import type { PowertoolsEvents } from '../events/powertools-events';
import type { ResolvedOptions } from '../options/validate-options';
import { relativeRoot } from './relative-root';

export interface RouteDeps {
  options: ResolvedOptions;
  events: PowertoolsEvents;
  templates: nunjucks.Environment;
}

/** Renders a template as the response, with the relative root of the route for its links. */
export function renderPage(ctx: Context, deps: RouteDeps, routePath: string, template: string, locals: Record<string, unknown>, status = 200): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = deps.templates.render(template, { ...locals, root: relativeRoot(routePath) });
}

/** Reads one query or body parameter as a string; repeated or missing parameters give ''. */
export function readParameter(source: unknown, name: string): string {
  if (!source || typeof source !== 'object') return '';
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Registers a route and records its relative root first, so even an error page raised inside
 * the handler can link back to the mount.
 */
export function addRoute(router: Router, method: 'get' | 'post', path: string, handler: (ctx: RouterContext) => Promise<void>): void {
  router[method](path, async (ctx) => {
    ctx.state.powertoolsRoot = relativeRoot(path);
    if (path !== '/' && ctx.path.endsWith('/')) {
      redirectToCanonicalPath(ctx);
      return;
    }
    await handler(ctx);
  });
}

/**
 * Redirects "/cron/" to "/cron". @koa/router matches both, but relative links on the slash form
 * resolve one level too deep. A POST gets 308 so the browser repeats it with its body.
 */
function redirectToCanonicalPath(ctx: Context): void {
  const segments = ctx.path.split('/');
  const lastSegment = segments[segments.length - 2];
  ctx.status = ctx.method === 'GET' || ctx.method === 'HEAD' ? 301 : 308;
  ctx.redirect(`../${lastSegment}${ctx.querystring ? `?${ctx.querystring}` : ''}`);
}
