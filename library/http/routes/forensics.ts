import type Router from '@koa/router';
import type { Context } from 'koa';

import { OperatorError } from '../../errors';
import { buildCronEntryForensics } from '../../forensics/cron-entry-forensics';
import { buildJobForensics } from '../../forensics/job-forensics';
import { buildQueueForensics } from '../../forensics/queue-forensics';
import type { Forensics } from '../../forensics/timeline';
import type { Resource } from '../../seams';
import { openPage } from '../page-access';
import { addRoute, type RouteDeps, renderPage } from '../route-deps';

/**
 * Forensics pages: one timeline of a resource's evidence, its gaps labelled, and the next
 * path with its owner. Routes: /forensics/cron_entry/:name, /forensics/queue/:name and
 * /forensics/job/:queue/:id.
 */
export function addForensicsRoutes(router: Router, deps: RouteDeps): void {
  const { repo, boss } = deps.options;

  addRoute(router, 'get', '/forensics/cron_entry/:name', (ctx) =>
    renderForensics(ctx, deps, '/forensics/cron_entry/:name', { type: 'cron_entry', id: ctx.params.name }, () => buildCronEntryForensics(repo, ctx.params.name)),
  );
  addRoute(router, 'get', '/forensics/queue/:name', (ctx) =>
    renderForensics(ctx, deps, '/forensics/queue/:name', { type: 'queue', id: ctx.params.name }, () => buildQueueForensics(repo, boss, ctx.params.name)),
  );
  addRoute(router, 'get', '/forensics/job/:queue/:id', (ctx) =>
    renderForensics(ctx, deps, '/forensics/job/:queue/:id', { type: 'job', id: `${ctx.params.queue}/${ctx.params.id}` }, () => buildJobForensics(repo, boss, ctx.params.queue, ctx.params.id)),
  );
}

async function renderForensics(ctx: Context, deps: RouteDeps, routePath: string, resource: Resource, build: () => Promise<Forensics | null>): Promise<void> {
  const page = await openPage(ctx, deps, 'view_forensics', resource);
  if (!page) return;
  if (resource.id.length > 300 || resource.id.includes('\u0000')) throw new OperatorError(400, 'That resource name is not valid: it is too long or contains a null character.');

  const forensics = await build();
  if (!forensics) throw new OperatorError(404, `There is no evidence about ${resource.type.replace('_', ' ')} ${resource.id}.`);
  renderPage(ctx, deps, routePath, 'forensics.njk', { title: forensics.title, show: page.display, forensics, section: 'forensics' });
}
