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
    await handler(ctx);
  });
}
