import type Router from '@koa/router';

import { cronActions } from '../../actions/cron-actions';
import type { CronEntryRow } from '../../sql/cron-entry-row';
import { addActionRoutes } from '../action-routes';
import type { RouteDeps } from '../route-deps';

/** Preview and confirm of `pause_cron_entry` and `resume_cron_entry` at /cron/:name/:action. */
export function addCronActionRoutes(router: Router, deps: RouteDeps): void {
  addActionRoutes(router, deps, {
    routePath: '/cron/:name/:action',
    pageAction: 'view_cron',
    resourceNoun: 'cron entry',
    section: 'cron',
    actions: cronActions,
    resourceIdOf: (params) => params.name,
    resourceLinkOf: (name) => `../${encodeURIComponent(name)}`,
    labelOf: (entry) => (entry as CronEntryRow).name,
  });
}
