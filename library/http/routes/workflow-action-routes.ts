import type Router from '@koa/router';

import { workflowActions, workflowStepActions } from '../../actions/workflow-actions';
import type { WorkflowStepTarget, WorkflowTarget } from '../../workflows/workflow-targets';
import { addActionRoutes } from '../action-routes';
import type { RouteDeps } from '../route-deps';

/**
 * Preview and confirm of `cancel_workflow` at /workflows/:id/:action, and of
 * `retry_workflow_step` and `cancel_workflow_step` at /workflows/:id/steps/:step/:action.
 */
export function addWorkflowActionRoutes(router: Router, deps: RouteDeps): void {
  addActionRoutes(router, deps, {
    routePath: '/workflows/:id/:action',
    pageAction: 'view_workflows',
    resourceNoun: 'workflow',
    section: 'workflows',
    actions: workflowActions,
    resourceIdOf: (params) => params.id,
    resourceLinkOf: (id) => `../${encodeURIComponent(id)}`,
    labelOf: (target) => `${(target as WorkflowTarget).workflow.name} ${(target as WorkflowTarget).workflow.id}`,
  });

  addActionRoutes(router, deps, {
    routePath: '/workflows/:id/steps/:step/:action',
    pageAction: 'view_workflows',
    resourceNoun: 'workflow step',
    section: 'workflows',
    actions: workflowStepActions,
    resourceIdOf: (params) => `${params.id}:${params.step}`,
    resourceLinkOf: (resourceId) => `../../../${encodeURIComponent(resourceId.slice(0, resourceId.indexOf(':')))}`,
    labelOf: (target) => `${(target as WorkflowStepTarget).step.name} of ${(target as WorkflowStepTarget).workflow.name}`,
  });
}
