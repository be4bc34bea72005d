import type Router from '@koa/router';

import { buildOverview } from '../../overview/build-overview';
import { chartHeight, chartWidth, readQueueHistory } from '../../overview/queue-history';
import { openPage } from '../page-access';
import { addRoute, type RouteDeps, renderPage } from '../route-deps';

/**
 * The overview puts what needs an operator first: failures to review, work blocked or stuck,
 * work waiting on purpose, what ran recently and what operators did. `/overview.json` serves
 * the bucket counts for the page's optional live refresh.
 */
export function addOverviewRoutes(router: Router, deps: RouteDeps): void {
  router.get('/', async (ctx) => {
    // Relative links resolve below the mount only when its URL ends in "/".
    if (!ctx.path.endsWith('/')) {
      const lastSegment = ctx.path.split('/').pop() ?? '';
      ctx.status = 301;
      ctx.redirect(`${lastSegment}/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
      return;
    }

    ctx.state.powertoolsRoot = './';
    const page = await openPage(ctx, deps, 'view_overview', { type: 'page', id: 'overview' });
    if (!page) return;

    const { repo, boss } = deps.options;
    const overview = await buildOverview(repo, boss);
    const history = await readQueueHistory(boss, overview.queues);
    renderPage(ctx, deps, '/', 'overview.njk', { title: 'Overview', section: 'overview', show: page.display, ...overview, history, chartWidth, chartHeight, liveUpdates: deps.options.liveUpdates });
  });

  addRoute(router, 'get', '/overview.json', async (ctx) => {
    const page = await openPage(ctx, deps, 'view_overview', { type: 'page', id: 'overview' });
    if (!page) return;

    const overview = await buildOverview(deps.options.repo, deps.options.boss);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      buckets: overview.buckets.map((bucket) => ({ key: bucket.key, count: bucket.count, countNote: bucket.countNote, diagnosis: bucket.diagnosis })),
      generatedAt: new Date().toISOString(),
    };
  });
}
