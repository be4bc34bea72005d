import type Router from '@koa/router';

import { OperatorError } from '../../errors';
import { listAuditEvents } from '../../sql/list-audit-events';
import { openPage } from '../page-access';
import { addRoute, type RouteDeps, readParameter, renderPage } from '../route-deps';

const pageSize = 50;
const resourceTypes = ['cron_entry', 'job', 'queue', 'workflow'];

export function addAuditEventRoutes(router: Router, deps: RouteDeps): void {
  addRoute(router, 'get', '/audit', async (ctx) => {
    const page = await openPage(ctx, deps, 'view_audit', { type: 'page', id: 'audit' });
    if (!page) return;

    const resourceType = readParameter(ctx.query, 'resource_type');
    const resourceId = readParameter(ctx.query, 'resource_id');
    const before = readParameter(ctx.query, 'before');
    if (resourceType && !resourceTypes.includes(resourceType)) {
      throw new OperatorError(400, `Unknown resource type filter. Use one of: ${resourceTypes.join(', ')}.`);
    }
    if (resourceId.length > 200) throw new OperatorError(400, 'The resource filter is longer than 200 characters; shorten it.');
    if (resourceId.includes('\u0000')) throw new OperatorError(400, 'The resource filter contains a null character, which no resource id has; remove it.');
    if (before && !/^[1-9][0-9]{0,17}$/.test(before)) {
      throw new OperatorError(400, 'The page cursor must be an audit event id (a positive whole number). Start again from the first page.');
    }

    const events = await listAuditEvents(deps.options.repo, {
      resourceType: resourceType || undefined,
      resourceId: resourceId || undefined,
      beforeId: before || undefined,
      limit: pageSize + 1,
    });
    const hasMore = events.length > pageSize;
    const shown = events.slice(0, pageSize);

    renderPage(ctx, deps, '/audit', 'audit.njk', {
      title: 'Audit',
      show: page.display,
      events: shown,
      filter: { resourceType, resourceId },
      nextCursor: hasMore ? shown[shown.length - 1].id : null,
    });
  });
}
