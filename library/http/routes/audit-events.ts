import type Router from '@koa/router';
import type { Context } from 'koa';

import { formatAuditCsv, toExportedEvent } from '../../audit/format-audit-export';
import { auditResourceTypes, readAuditFilter } from '../../audit/read-audit-filter';
import { OperatorError } from '../../errors';
import { listAuditEvents } from '../../sql/list-audit-events';
import { decide, openPage } from '../page-access';
import { addRoute, type RouteDeps, readParameter, renderPage } from '../route-deps';

const pageSize = 50;
const exportLimit = 10_000;

/** The audit page with filters and keyset paging, and its CSV and JSON exports. */
export function addAuditEventRoutes(router: Router, deps: RouteDeps): void {
  addRoute(router, 'get', '/audit', async (ctx) => {
    const page = await openPage(ctx, deps, 'view_audit', { type: 'page', id: 'audit' });
    if (!page) return;

    const { input, filter } = readAuditFilter(ctx.query);
    const before = readParameter(ctx.query, 'before');
    if (before && !/^[1-9][0-9]{0,17}$/.test(before)) {
      throw new OperatorError(400, 'The page cursor must be an audit event id (a positive whole number). Start again from the first page.');
    }

    const events = await listAuditEvents(deps.options.repo, { ...filter, beforeId: before || undefined, limit: pageSize + 1 });
    const hasMore = events.length > pageSize;
    const shown = events.slice(0, pageSize);
    const canExport = (await decide(deps.options.auth, page.actor, 'export_audit_events', { type: 'page', id: 'audit' })).allowed;

    renderPage(ctx, deps, '/audit', 'audit.njk', {
      title: 'Audit',
      section: 'audit',
      show: page.display,
      events: shown,
      filter: input,
      resourceTypes: auditResourceTypes,
      query: new URLSearchParams(Object.entries({ resource_type: input.resourceType, resource_id: input.resourceId, actor: input.actor, action: input.action, from: input.from, to: input.to }).filter(([, value]) => value)).toString(),
      nextCursor: hasMore ? shown[shown.length - 1].id : null,
      canExport,
    });
  });

  addRoute(router, 'get', '/audit.csv', (ctx) => exportAudit(ctx, deps, 'csv'));
  addRoute(router, 'get', '/audit.json', (ctx) => exportAudit(ctx, deps, 'json'));
}

/**
 * Exports the filtered audit trail, newest first, up to 10,000 events, with actor labels and
 * reasons through the display policy. Needs `view_audit` and `export_audit_events`.
 */
async function exportAudit(ctx: Context, deps: RouteDeps, format: 'csv' | 'json'): Promise<void> {
  const page = await openPage(ctx, deps, 'view_audit', { type: 'page', id: 'audit' });
  if (!page) return;
  const decision = await decide(deps.options.auth, page.actor, 'export_audit_events', { type: 'page', id: 'audit' });
  if (!decision.allowed) throw new OperatorError(403, `Read-only: you can view the audit trail but not export it (${decision.reason}).`);

  const { filter } = readAuditFilter(ctx.query);
  const rows = await listAuditEvents(deps.options.repo, { ...filter, limit: exportLimit + 1 });
  const events = rows.slice(0, exportLimit).map((event) => toExportedEvent(event, page.display));
  const truncated = rows.length > exportLimit;

  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Disposition', `attachment; filename="audit-events.${format}"`);
  if (truncated) ctx.set('X-Export-Truncated', `only the newest ${exportLimit} events; narrow the filter`);
  if (format === 'csv') {
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = formatAuditCsv(events);
  } else {
    ctx.type = 'application/json';
    ctx.body = { events, truncated, limit: exportLimit };
  }
}
