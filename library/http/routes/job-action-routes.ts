import type Router from '@koa/router';

import { jobActions, type JobTarget } from '../../actions/job-actions';
import { formatJobResourceId, parseJobResourceId } from '../../jobs/job-resource-id';
import { addActionRoutes } from '../action-routes';
import type { RouteDeps } from '../route-deps';

/** Preview and confirm of `retry_job`, `cancel_job`, `resume_job` and `delete_job` at /jobs/:queue/:id/:action. */
export function addJobActionRoutes(router: Router, deps: RouteDeps): void {
  addActionRoutes(router, deps, {
    routePath: '/jobs/:queue/:id/:action',
    pageAction: 'view_jobs',
    resourceNoun: 'job',
    section: 'jobs',
    actions: jobActions,
    resourceIdOf: (params) => formatJobResourceId(params.queue, params.id),
    // The action URL is .../jobs/<queue>/<id>/<action>, so "../<id>" is the job's own page.
    resourceLinkOf: (resourceId) => `../${encodeURIComponent(parseJobResourceId(resourceId)?.id ?? '')}`,
    labelOf: (target, resourceId) => {
      const { queue, id } = target as JobTarget;
      return queue && id ? `job ${id} in queue ${queue}` : resourceId;
    },
  });
}
