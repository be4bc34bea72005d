import type Router from '@koa/router';

import { listAuditEvents } from '../../sql/list-audit-events';
import { listCronEntries } from '../../sql/list-cron-entries';
import { openPage } from '../page-access';
import { addRoute, type RouteDeps, renderPage } from '../route-deps';

/**
 * The overview puts what needs an operator first: queues with failed jobs, then paused cron
 * entries (waiting on purpose), then what operators did recently.
 */
export function addOverviewRoutes(router: Router, deps: RouteDeps): void {
  addRoute(router, 'get', '/', async (ctx) => {
    // Relative links resolve below the mount only when its URL ends in "/".
    if (!ctx.path.endsWith('/')) {
      const lastSegment = ctx.path.split('/').pop() ?? '';
      ctx.status = 301;
      ctx.redirect(`${lastSegment}/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
      return;
    }

    const page = await openPage(ctx, deps, 'view_overview', { type: 'page', id: 'overview' });
    if (!page) return;

    const { repo, boss } = deps.options;
    const [queues, cronEntries, recentEvents] = await Promise.all([
      boss.getQueues(),
      listCronEntries(repo),
      listAuditEvents(repo, { limit: 5 }),
    ]);
    const failingQueues = queues.filter((queue) => queue.failedCount > 0).sort((a, b) => b.failedCount - a.failedCount);
    const pausedEntries = cronEntries.filter((entry) => entry.paused_at);

    renderPage(ctx, deps, '/', 'overview.njk', {
      title: 'Overview',
      show: page.display,
      queues,
      failingQueues,
      failedJobs: failingQueues.reduce((sum, queue) => sum + queue.failedCount, 0),
      pausedEntries,
      recentEvents,
    });
  });
}
