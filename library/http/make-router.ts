import { readFileSync } from 'node:fs';
import path from 'node:path';

import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type nunjucks from 'nunjucks';

import { addBridgeRoutes } from '../bridge/add-bridge-routes';
import type { Bridge } from '../bridge/make-bridge';
import type { PowertoolsEvents } from '../events/powertools-events';
import type { ResolvedOptions } from '../options/validate-options';
import { handleErrors } from './handle-errors';
import { addAuditEventRoutes } from './routes/audit-events';
import { addForensicsRoutes } from './routes/forensics';
import { addCronActionRoutes } from './routes/cron-action-routes';
import { addCronEntryRoutes } from './routes/cron-entries';
import { addJobActionRoutes } from './routes/job-action-routes';
import { addJobRoutes } from './routes/jobs';
import { addBulkJobActionRoutes } from './routes/jobs-bulk-action-routes';
import { addOverviewRoutes } from './routes/overview';
import { addWorkflowActionRoutes } from './routes/workflow-action-routes';
import { addWorkflowRoutes } from './routes/workflows';

const stylesheet = readFileSync(path.join(__dirname, '..', 'assets', 'powertools.css'), 'utf8');
const liveCountsScript = readFileSync(path.join(__dirname, '..', 'assets', 'live-counts.js'), 'utf8');

/**
 * Builds the router the host mounts inside its own scope, normally `/ops/jobs`. It has no
 * prefix of its own and links only relatively, so any mount path works. With a `bridge`, it
 * also serves the read-only pg-boss dashboard at `pg-boss` below the mount.
 */
export function makeRouter(deps: { options: ResolvedOptions; events: PowertoolsEvents; templates: nunjucks.Environment; bridge?: Bridge | null }): Router {
  const router = new Router();
  router.use(handleErrors(deps.templates, deps.events));
  router.use(bodyParser({ enableTypes: ['form'], formLimit: '16kb' }));

  // The assets are the only routes without a permission check: they hold no data, and the
  // denial notice needs the stylesheet too.
  router.get('/assets/powertools.css', (ctx) => {
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = stylesheet;
  });
  router.get('/assets/live-counts.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = liveCountsScript;
  });

  addOverviewRoutes(router, deps);
  addCronEntryRoutes(router, deps);
  addCronActionRoutes(router, deps);
  addJobRoutes(router, deps);
  addJobActionRoutes(router, deps);
  addBulkJobActionRoutes(router, deps);
  addWorkflowRoutes(router, deps);
  addWorkflowActionRoutes(router, deps);
  addAuditEventRoutes(router, deps);
  addForensicsRoutes(router, deps);
  if (deps.bridge) addBridgeRoutes(router, { ...deps, bridge: deps.bridge });
  return router;
}
